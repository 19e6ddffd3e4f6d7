/** Recommendation-rate maths: promoters score 9–10, passives 7–8, detractors 0–6. */
export type ScoreClass = 'promoter' | 'passive' | 'detractor';

export function classifyScore(score: number): ScoreClass {
  if (!Number.isInteger(score) || score < 0 || score > 10) {
    throw new RangeError(`a likelihood-to-recommend score is a whole number from 0 to 10, not ${score}`);
  }
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** promoters / responses; null when there are no responses. */
export function recommendationRate(promoters: number, responses: number): number | null {
  return responses > 0 ? promoters / responses : null;
}

/**
 * (promoters − detractors) / responses × 100, unrounded (SPEC: figures in JSON are unrounded;
 * pages round through lib/format); null when there are no responses. Never −0.
 */
export function netPromoterScore(promoters: number, detractors: number, responses: number): number | null {
  if (responses <= 0) return null;
  return ((promoters - detractors) * 100) / responses || 0;
}

/** The 97.5% point of the standard normal distribution, as conventionally rounded. */
export const Z_95 = 1.96;

/**
 * Half-width of the adjusted-Wald (Agresti–Coull) 95% confidence interval for the promoter share:
 * add z²/2 promoters and z²/2 non-promoters, then apply the Wald formula. Unlike the plain Wald
 * interval it stays sensible for small samples and shares near 0 or 1. Null with no responses.
 */
export function promoterMarginOfError(promoters: number, responses: number, z = Z_95): number | null {
  if (responses <= 0) return null;
  const adjustedResponses = responses + z * z;
  const adjustedShare = (promoters + (z * z) / 2) / adjustedResponses;
  return z * Math.sqrt((adjustedShare * (1 - adjustedShare)) / adjustedResponses);
}
