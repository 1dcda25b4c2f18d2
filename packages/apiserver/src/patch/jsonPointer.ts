import { InvalidError } from '@keelson/core';

/**
 * RFC 6901 JSON pointer → its reference tokens (`~1` is `/`, `~0` is `~`).
 * The empty pointer names the whole document and has no tokens.
 */
export function parseJsonPointer(pointer: string, where: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new InvalidError(`${where}: JSON pointer "${pointer}" must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        throw new InvalidError(`${where}: JSON pointer "${pointer}" has a "~" not followed by 0 or 1`);
      }
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** A reference token as an array index: digits without a leading zero; undefined when not one. */
export function arrayIndexOf(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
