import { SPOT_FIX_CATEGORIES, POWER_CORES } from '@/lib/db/schema';
import {
  IMPORT_CHUNK_BYTES,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_CHUNK_BYTES,
  MAX_INGEST_BYTES,
  MAX_INGEST_RECORDS,
} from '@/lib/validation/api';
import { journeyPath, journeySchema } from './openapi-journey';

/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. */
const date = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2025-03-14'] };
const money = {
  description: 'A non-negative decimal with at most 2 places, as a string (preferred) or a JSON number.',
  oneOf: [
    { type: 'string', pattern: '^\\d{1,12}(\\.\\d{1,2})?$' },
    { type: 'number', minimum: 0 },
  ],
  examples: ['129.90'],
};
const moneyOut = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$', description: 'An exact decimal with two places.' };
const id = { type: 'string', minLength: 1, maxLength: 200 };
const customerRef = {
  type: ['string', 'null'],
  maxLength: 200,
  description: 'Optional; need not name a customer loaded yet. Absent leaves a stored value as it was; null or "" clears it.',
};
const text = (maxLength = 2000) => ({ type: ['string', 'null'], maxLength });
const ratio = { type: ['number', 'null'], description: 'Unrounded; null when undefined.' };
const status = { type: 'string', enum: ['on_track', 'at_risk', 'off_track', 'no_data'] };
const owner = {
  type: ['object', 'null'],
  properties: {
    name: { type: 'string' },
    email: { type: 'string' },
    title: { type: 'string' },
    powerCore: { type: 'string', enum: [...POWER_CORES] },
  },
};

const ingest = (kind: string, schema: string, summary: string) => ({
  post: {
    operationId: `ingest${schema}`,
    summary,
    description:
      `A JSON array of at most ${MAX_INGEST_RECORDS.toLocaleString('en')} ${kind}, validated exactly as CSV rows are. ` +
      'All or nothing: any problem rejects the whole request and lists every problem by index and field. ' +
      'Idempotent: a record is upserted by its id, so sending it again changes nothing. ' +
      'Duplicate ids in one request are refused, naming both indexes. ' +
      `Bodies over ${MAX_INGEST_BYTES.toLocaleString('en')} bytes are refused with 413.`,
    tags: ['Ingest'],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { type: 'array', items: { $ref: `#/components/schemas/${schema}` } } } },
    },
    responses: {
      '200': { description: 'Saved.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApplySummary' } } } },
      '400': { $ref: '#/components/responses/BadRequest' },
      '401': { $ref: '#/components/responses/Unauthorized' },
      '403': { $ref: '#/components/responses/Forbidden' },
      '413': { $ref: '#/components/responses/TooLarge' },
      '415': { $ref: '#/components/responses/UnsupportedMediaType' },
    },
  },
});

const importId = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^imp_[A-Za-z0-9_-]{22}$' } };

export function openApiDocument(serverUrl = '/'): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'CX Scorecard API',
      version: '1.0.0',
      description:
        'The scorecard for programs, and the ways other systems (CRM, survey tool, help desk) send customers, ' +
        'survey responses and spot fixes. Authenticate with an API token an admin creates under Admin → API tokens ' +
        '(`Authorization: Bearer cxs_…`), or with a signed-in session. Errors are JSON: `{ "error": "…", "problems": [{ "index", "field", "message" }] }`. ' +
        'While the database cannot be reached, every endpoint answers 503 with `Retry-After` and ' +
        '`{ "error": "database_unavailable", "message": "…", "problems": [] }`: send the same request again later.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerToken: [] }, { session: [] }],
    tags: [
      { name: 'Scorecard' },
      { name: 'Ingest', description: 'JSON arrays of records; admin tokens or admin sessions.' },
      { name: 'Export', description: 'CSV in the import format.' },
      { name: 'Imports', description: 'The chunked CSV upload the import page uses.' },
    ],
    paths: {
      '/api/v1/scorecard': {
        get: {
          operationId: 'getScorecard',
          summary: 'The scorecard for a period (the same JSON as `npm run cli -- scorecard`).',
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
            '200': { description: 'The scorecard.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Scorecard' } } } },
            '400': { $ref: '#/components/responses/BadRequest' },
            '401': { $ref: '#/components/responses/Unauthorized' },
          },
        },
      },
      '/api/v1/journey': journeyPath,
      '/api/v1/customers': ingest('customers', 'Customer', 'Add or update customers.'),
      '/api/v1/responses': ingest('survey responses', 'SurveyResponse', 'Add or update survey responses.'),
      '/api/v1/spot-fixes': ingest('spot fixes', 'SpotFix', 'Add or update spot fixes.'),
      '/api/v1/export/{kind}': {
        get: {
          operationId: 'exportRecords',
          summary: 'Every record of a kind as CSV, in the format import reads (a lossless round trip).',
          tags: ['Export'],
          parameters: [{ name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['customers', 'responses', 'spot-fixes'] } }],
          responses: {
            '200': { description: 'RFC 4180 CSV, UTF-8, header row first.', content: { 'text/csv': { schema: { type: 'string' } } } },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '403': { $ref: '#/components/responses/Forbidden' },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      '/api/v1/imports': {
        post: {
          operationId: 'createImport',
          summary: 'Start a chunked CSV import.',
          description:
            `Announce the file; then PUT its bytes in order-numbered chunks of about ${IMPORT_CHUNK_BYTES / 2 ** 20} MB ` +
            `(at most ${MAX_IMPORT_CHUNK_BYTES / 2 ** 20} MB each, ${MAX_IMPORT_BYTES / 2 ** 20} MB in all), ` +
            'then POST …/validate, then POST …/apply. Nothing is written until apply, which is one transaction.',
          tags: ['Imports'],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['kind', 'size', 'chunks'],
                  properties: {
                    kind: { type: 'string', enum: ['customers', 'responses', 'spot-fixes'] },
                    fileName: { type: 'string', maxLength: 255 },
                    size: { type: 'integer', minimum: 1, maximum: MAX_IMPORT_BYTES },
                    chunks: { type: 'integer', minimum: 1 },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Started.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Import' } } } },
            '400': { $ref: '#/components/responses/BadRequest' },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '403': { $ref: '#/components/responses/Forbidden' },
          },
        },
      },
      '/api/v1/imports/{id}': {
        parameters: [importId],
        get: {
          operationId: 'getImport',
          summary: 'An import’s state, problems and summary.',
          tags: ['Imports'],
          responses: {
            '200': { description: 'The import.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Import' } } } },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
        delete: {
          operationId: 'cancelImport',
          summary: 'Cancel an import and delete its staged chunks.',
          tags: ['Imports'],
          responses: {
            '200': { description: 'Cancelled.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Import' } } } },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '404': { $ref: '#/components/responses/NotFound' },
            '409': { $ref: '#/components/responses/Conflict' },
          },
        },
      },
      '/api/v1/imports/{id}/chunks/{index}': {
        put: {
          operationId: 'putImportChunk',
          summary: 'Stage one chunk of the file’s bytes; sending a chunk again replaces it.',
          tags: ['Imports'],
          parameters: [importId, { name: 'index', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          responses: {
            '200': {
              description: 'Staged.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { chunkIndex: { type: 'integer' }, bytes: { type: 'integer' }, received: { type: 'integer' }, chunks: { type: 'integer' } },
                  },
                },
              },
            },
            '400': { $ref: '#/components/responses/BadRequest' },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '404': { $ref: '#/components/responses/NotFound' },
            '409': { $ref: '#/components/responses/Conflict' },
            '413': { $ref: '#/components/responses/TooLarge' },
          },
        },
      },
      '/api/v1/imports/{id}/validate': {
        post: {
          operationId: 'validateImport',
          summary: 'Check the whole staged file; a file with any problem is rejected with every problem listed.',
          tags: ['Imports'],
          parameters: [importId],
          responses: { '200': { $ref: '#/components/responses/StepStream' }, '401': { $ref: '#/components/responses/Unauthorized' } },
        },
      },
      '/api/v1/imports/{id}/apply': {
        post: {
          operationId: 'applyImport',
          summary: 'Apply a checked import in one transaction (all or nothing). Applying again answers with the same summary.',
          tags: ['Imports'],
          parameters: [importId],
          responses: { '200': { $ref: '#/components/responses/StepStream' }, '401': { $ref: '#/components/responses/Unauthorized' } },
        },
      },
      '/api/v1/imports/{id}/problems': {
        get: {
          operationId: 'getImportProblems',
          summary: 'The problems that rejected an import, as CSV (row, column, problem).',
          tags: ['Imports'],
          parameters: [importId],
          responses: {
            '200': { description: 'CSV.', content: { 'text/csv': { schema: { type: 'string' } } } },
            '401': { $ref: '#/components/responses/Unauthorized' },
            '404': { $ref: '#/components/responses/NotFound' },
          },
        },
      },
      '/api/v1/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document.',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (`cxs_…`), shown once when an admin creates it.' },
        session: { type: 'apiKey', in: 'cookie', name: 'authjs.session-token', description: 'A signed-in browser session.' },
      },
      schemas: {
        Customer: {
          type: 'object',
          description: 'An optional field absent from a record leaves the stored value as it was; null or "" clears it.',
          required: ['customer_id', 'acquired_on'],
          additionalProperties: false,
          properties: {
            customer_id: id,
            name: text(),
            segment: text(200),
            acquired_on: date,
            churned_on: { ...date, type: ['string', 'null'], description: 'Not before acquired_on.' },
            monthly_value: { ...money, oneOf: [...money.oneOf, { type: 'null' }] },
            churn_reason: text(),
          },
        },
        SurveyResponse: {
          type: 'object',
          required: ['response_id', 'responded_on', 'score'],
          additionalProperties: false,
          properties: {
            response_id: id,
            customer_id: customerRef,
            responded_on: date,
            score: {
              description: 'Likelihood to recommend, a whole number 0–10 (a JSON integer or a string of digits).',
              oneOf: [{ type: 'integer', minimum: 0, maximum: 10 }, { type: 'string', pattern: '^\\d{1,2}$' }],
            },
            touchpoint: text(200),
            comment: text(),
          },
        },
        SpotFix: {
          type: 'object',
          required: ['spot_fix_id', 'occurred_on', 'issue', 'category', 'cost'],
          additionalProperties: false,
          properties: {
            spot_fix_id: id,
            occurred_on: date,
            issue: { type: 'string', minLength: 1, maxLength: 500, description: 'Labels equal ignoring case and extra spaces name the same issue.' },
            category: { type: 'string', enum: [...SPOT_FIX_CATEGORIES] },
            cost: money,
            customer_id: customerRef,
            journey_stage: text(200),
            note: text(),
          },
        },
        ApplySummary: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: ['customers', 'responses', 'spot-fixes'] },
            rows: { type: 'integer' },
            added: { type: 'integer' },
            changed: { type: 'integer' },
            unchanged: { type: 'integer' },
          },
        },
        Problem: {
          type: 'object',
          properties: {
            index: { type: ['integer', 'null'], description: 'The array index of the record (null for the request as a whole).' },
            field: { type: ['string', 'null'] },
            message: { type: 'string' },
          },
        },
        Error: {
          type: 'object',
          required: ['error', 'problems'],
          properties: {
            error: { type: 'string' },
            message: { type: 'string', description: 'For a person, where `error` is a code (`database_unavailable`).' },
            problems: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
          },
        },
        Import: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            kind: { type: 'string' },
            fileName: { type: ['string', 'null'] },
            state: { type: 'string', enum: ['staging', 'applied', 'rejected', 'cancelled'] },
            size: { type: 'integer' },
            chunks: { type: 'integer' },
            checkedRecords: { type: ['integer', 'null'] },
            problems: {
              type: 'array',
              description: 'Rows as a spreadsheet numbers them (the header is row 1).',
              items: { type: 'object', properties: { row: { type: 'integer' }, column: { type: ['string', 'null'] }, message: { type: 'string' } } },
            },
            moreProblems: { type: 'integer' },
            result: { oneOf: [{ $ref: '#/components/schemas/ApplySummary' }, { type: 'null' }] },
          },
        },
        Journey: journeySchema,
        Scorecard: {
          type: 'object',
          required: ['period', 'retention', 'recommendation', 'spotFixCost'],
          properties: {
            period: { type: 'object', properties: { label: { type: 'string' }, start: date, end: date } },
            retention: {
              type: 'object',
              properties: {
                value: ratio, status, target: { type: 'number' }, atRiskThreshold: { type: 'number' }, owner,
                start: { type: 'integer' }, retained: { type: 'integer' }, gained: { type: 'integer' }, valueGained: moneyOut,
                lost: { type: 'integer' }, valueLost: moneyOut,
                topReasons: { type: 'array', items: { type: 'object', properties: { reason: { type: 'string' }, count: { type: 'integer' }, valueLost: moneyOut } } },
              },
            },
            recommendation: {
              type: 'object',
              properties: {
                value: ratio, status, target: { type: 'number' }, atRiskThreshold: { type: 'number' }, owner,
                responses: { type: 'integer' }, promoters: { type: 'integer' }, passives: { type: 'integer' }, detractors: { type: 'integer' },
                nps: { type: ['number', 'null'], description: 'Net promoter score −100…100, unrounded; null with no responses.' }, marginOfError: ratio,
              },
            },
            spotFixCost: {
              type: 'object',
              properties: {
                value: moneyOut, status, target: moneyOut, atRiskThreshold: moneyOut, owner, count: { type: 'integer' },
                byCategory: { type: 'object', properties: Object.fromEntries(SPOT_FIX_CATEGORIES.map((c) => [c, moneyOut])) },
                repeatCost: moneyOut, repeatShare: ratio,
              },
            },
          },
        },
      },
      responses: {
        BadRequest: { description: 'Bad input; nothing was written.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Unauthorized: { description: 'No valid token or session.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Forbidden: { description: 'Signed in, but not allowed (data import and export are for admins).', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        NotFound: { description: 'No such thing.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Conflict: { description: 'Not possible in the import’s current state.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        TooLarge: { description: 'The body is over the limit; nothing was written.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        UnsupportedMediaType: { description: 'The body is not JSON.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        StepStream: {
          description:
            'Newline-delimited JSON: `{"type":"progress","phase":"validating"|"applying","row":N}` lines, then ' +
            '`{"type":"result","import":Import}` or `{"type":"error","error":"…","status":N}`.',
          content: { 'application/x-ndjson': { schema: { type: 'string' } } },
        },
      },
    },
  };
}
