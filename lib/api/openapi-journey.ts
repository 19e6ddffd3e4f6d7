/** The journey view's part of the OpenAPI document (lib/api/openapi.ts): SPEC "Where the ball drops". */
const date = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const moneyOut = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$', description: 'An exact decimal with two places.' };
const ratio = { type: ['number', 'null'], description: 'Unrounded; null when nothing was counted.' };
const label = (what: string) => ({
  type: ['string', 'null'],
  description: `The ${what} as compared: lower case, single spaces, trimmed; null for none.`,
});

export const journeyPath = {
  get: {
    operationId: 'getJourney',
    summary: 'Where the ball drops: spot fixes by journey stage, responses by touchpoint, value at risk (the same JSON as `npm run cli -- journey`).',
    tags: ['Scorecard'],
    parameters: [
      {
        name: 'period',
        in: 'query',
        required: false,
        description: 'A month (2025-03), quarter (2025-Q1) or year (2025); by default the latest complete month.',
        schema: { type: 'string', pattern: '^\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$' },
      },
    ],
    responses: {
      '200': { description: 'The journey view.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Journey' } } } },
      '400': { $ref: '#/components/responses/BadRequest' },
      '401': { $ref: '#/components/responses/Unauthorized' },
    },
  },
};

export const journeySchema = {
  type: 'object',
  required: ['period', 'stages', 'touchpoints', 'valueAtRisk', 'churnAfterResponse'],
  properties: {
    period: {
      type: 'object',
      properties: { label: { type: 'string' }, start: date, end: date, complete: { type: 'boolean' } },
    },
    stages: {
      type: 'array',
      description: 'Spot fixes dated in the period by journey stage; by cost, largest first, ties by stage.',
      items: {
        type: 'object',
        properties: {
          stage: label('journey stage'),
          count: { type: 'integer' },
          cost: moneyOut,
          repeatCost: moneyOut,
          repeatShare: ratio,
          topIssues: {
            type: 'array',
            maxItems: 3,
            description: 'The costliest issues of the stage in the period; ties by issue.',
            items: { type: 'object', properties: { issue: label('issue'), cost: moneyOut } },
          },
        },
      },
    },
    touchpoints: {
      type: 'array',
      description: 'Survey responses dated in the period by touchpoint; most responses first, ties by touchpoint.',
      items: {
        type: 'object',
        properties: {
          touchpoint: label('touchpoint'),
          responses: { type: 'integer' },
          detractors: { type: 'integer' },
          detractorShare: ratio,
          nps: { type: ['number', 'null'] },
        },
      },
    },
    valueAtRisk: {
      type: 'object',
      description: 'Customers active on the last day whose latest response of the 364 days before it is a detractor’s.',
      properties: { customers: { type: 'integer' }, monthlyValue: moneyOut },
    },
    churnAfterResponse: {
      type: 'object',
      description: 'Share of the last 12 months’ responses (of loaded customers active then) whose customer churned within 90 days.',
      properties: { detractor: ratio, passive: ratio, promoter: ratio },
    },
  },
};
