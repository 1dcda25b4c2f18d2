/**
 * Quotes part of a selector for an error message: in double quotes, with `"` and control characters
 * escaped but backslashes left alone, so that field selector escapes read as the user wrote them.
 */
export function quote(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
  return `"${text.replace(/[\u0000-\u001f\u007f"]/g, (c) => (c === '"' ? '\\"' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}
