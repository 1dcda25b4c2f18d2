/**
 * Kubernetes' `DefaultNormalizeScore` (scheduler plugins' `helper` package):
 * the common NormalizeScore of plugins whose raw score is a count or a sum.
 */

/**
 * Rescales `scores` in place from `[0, max(scores)]` to `[0, maxPriority]`
 * with Go's int64 arithmetic (`maxPriority * score / max`, truncated), and
 * with `reverse` turns each into `maxPriority - score`, so that a smaller raw
 * score (e.g. fewer intolerable taints) ranks higher. When every score is 0
 * they stay 0, or all become `maxPriority` when reversed. Raw scores are
 * non-negative integers, as upstream assumes.
 *
 * @example
 * const scores = [1, 50, 0];
 * defaultNormalizeScore(100, false, scores); // scores is now [2, 100, 0]
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let maxCount = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i] as number;
    if (score > maxCount) maxCount = score;
  }
  if (maxCount === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const scaled = Math.trunc((maxPriority * (scores[i] as number)) / maxCount);
    scores[i] = reverse ? maxPriority - scaled : scaled;
  }
}
