import type { MetricKey, PowerCore, Role, SpotFixCategory } from '@/lib/db/schema';

/**
 * The cast and vocabulary of the demo company: Brightwave Broadband, a fictional fibre
 * broadband and connectivity provider for businesses. Everything here is invented.
 */
export const DEMO_ORGANISATION = { name: 'Brightwave Broadband', currency: 'USD' } as const;

/** Every demo executive signs in with this password (shown in the README's quick start). */
export const DEMO_PASSWORD = 'demo-password-2026';

export const DEMO_EMAIL_DOMAIN = 'brightwave.example';

export type DemoExecutiveKey = 'cco' | 'cro' | 'cpo' | 'coo' | 'cio' | 'cos';

export interface DemoExecutive {
  key: DemoExecutiveKey;
  name: string;
  email: string;
  title: string;
  powerCore: PowerCore;
  role: Role;
}

const person = (key: DemoExecutiveKey, name: string, title: string, powerCore: PowerCore, role: Role): DemoExecutive => ({
  key,
  name,
  email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${DEMO_EMAIL_DOMAIN}`,
  title,
  powerCore,
  role,
});

export const DEMO_EXECUTIVES: readonly DemoExecutive[] = [
  person('cco', 'Maya Okafor', 'Chief Customer Officer', 'customer', 'admin'),
  person('cro', 'Daniel Reyes', 'Chief Revenue Officer', 'sales', 'executive'),
  person('cpo', 'Priya Natarajan', 'Chief Product Officer', 'product', 'executive'),
  person('coo', 'Tom Brennan', 'Chief Operating Officer', 'operations', 'executive'),
  person('cio', 'Aisha Karim', 'Chief Information Officer', 'it', 'executive'),
  person('cos', 'Jonas Weber', 'Chief of Staff to the CEO', 'operations', 'viewer'),
];

/** Each headline metric is answerable to one executive in the power core. */
export const DEMO_METRIC_OWNERS: Record<MetricKey, DemoExecutiveKey> = {
  retention: 'cro',
  recommendation: 'cpo',
  spot_fix_cost: 'coo',
};

/** The status each metric is given for the latest complete month, so the demo shows all three. */
export const DEMO_INTENDED_STATUS: Record<MetricKey, 'on_track' | 'at_risk' | 'off_track'> = {
  retention: 'on_track',
  recommendation: 'at_risk',
  spot_fix_cost: 'off_track',
};

export interface Segment {
  name: string;
  share: number;
  /** Monthly probability of leaving, before the story's adjustments. */
  hazard: number;
}

export const SEGMENTS: readonly Segment[] = [
  { name: 'Small business', share: 0.7, hazard: 0.0185 },
  { name: 'Mid-market', share: 0.24, hazard: 0.0105 },
  { name: 'Enterprise', share: 0.06, hazard: 0.0055 },
];

export const CHURN_REASONS: ReadonlyArray<readonly [string, number]> = [
  ['Price', 24],
  ['Moved to competitor', 17],
  ['Poor support', 14],
  ['Late delivery', 11],
  ['Billing errors', 10],
  ['Product gaps', 8],
  ['Service outages', 6],
  ['Business closed', 7],
  ['Relocated outside coverage', 3],
];

export const TOUCHPOINTS = ['onboarding', 'support', 'billing', 'delivery', 'renewal'] as const;
export type Touchpoint = (typeof TOUCHPOINTS)[number];

export const TOUCHPOINT_WEIGHTS: ReadonlyArray<readonly [Touchpoint, number]> = [
  ['support', 30],
  ['billing', 18],
  ['delivery', 16],
  ['onboarding', 14],
  ['renewal', 22],
];

/** Change in promoter / detractor probability by touchpoint (base 0.47 / 0.22). */
export const TOUCHPOINT_MOOD: Record<Touchpoint, { promoter: number; detractor: number }> = {
  onboarding: { promoter: 0.07, detractor: -0.05 },
  support: { promoter: -0.03, detractor: 0.04 },
  billing: { promoter: -0.06, detractor: 0.05 },
  delivery: { promoter: -0.07, detractor: 0.07 },
  renewal: { promoter: 0.03, detractor: -0.02 },
};

export const COMMENTS = {
  promoter: [
    'Rock-solid connection, we forget it is there.',
    'Engineer was on time and tidy.',
    'Support fixed it on the first call.',
    'Fast install and the speeds are as promised.',
    'Account manager actually knows our business.',
    'Great value for the speed we get.',
    'Switching over was painless.',
  ],
  passive: [
    'Fine overall, a bit pricey.',
    'Works well but the app is clunky.',
    'Took a while to reach the right person.',
    'Good service, invoices are hard to read.',
    'No complaints, nothing special either.',
  ],
  detractor: {
    onboarding: ['Nobody told us what happens after signing.', 'Welcome pack arrived after the install.', 'Wrong plan set up at first.'],
    support: [
      'Router keeps dropping the connection every afternoon.',
      'Three calls to get a straight answer.',
      'Waited 40 minutes on hold.',
      'Wi-Fi drops since the firmware update.',
    ],
    billing: ['Charged twice this month.', 'Invoice does not match the contract.', 'Credit promised last month never appeared.'],
    delivery: [
      'Installation date moved twice.',
      'Engineer never turned up.',
      'Six weeks from order to working line.',
      'Waited all day for an appointment that was cancelled.',
    ],
    renewal: ['Renewal price went up without warning.', 'Competitor offered the same for less.', 'Hard to get a straight renewal quote.'],
  } satisfies Record<Touchpoint, string[]>,
} as const;

export interface IssueSpec {
  label: string;
  /** Relative frequency before the story's surges. */
  weight: number;
  stage: 'onboarding' | 'delivery' | 'usage' | 'support' | 'billing' | 'renewal';
  categories: ReadonlyArray<readonly [SpotFixCategory, number]>;
  /** Pick a customer who joined recently (installs, onboarding). */
  recentCustomer?: boolean;
  /** From this many months before the current month, the issue happens `factor` times as often. */
  surge?: { monthsAgo: number; factor: number };
  /** Fixed at the core this many months before the current month (day of month given). */
  fixed?: { monthsAgo: number; day: number; cameBack: Array<{ monthsAgo: number; day: number }> };
  owner?: DemoExecutiveKey;
  /** What fixing it at the core would cost, once (dollars). */
  estimatedFixCost?: string;
}

export const ISSUES: readonly IssueSpec[] = [
  {
    label: 'Late delivery',
    weight: 24,
    stage: 'delivery',
    recentCustomer: true,
    categories: [['free_offering', 3], ['discount', 3], ['meeting', 2], ['staff_time', 2], ['pr_recovery', 0.15]],
    surge: { monthsAgo: 6, factor: 1.9 },
    owner: 'coo',
    estimatedFixCost: '185000.00',
  },
  {
    label: 'Billing errors',
    weight: 18,
    stage: 'billing',
    categories: [['staff_time', 4], ['discount', 3], ['meeting', 2], ['free_offering', 1]],
    owner: 'cio',
    estimatedFixCost: '120000.00',
  },
  {
    label: 'Router dropouts',
    weight: 7,
    stage: 'usage',
    categories: [['free_offering', 4], ['staff_time', 3], ['other', 2], ['meeting', 1]],
    surge: { monthsAgo: 7, factor: 3.4 },
    owner: 'cpo',
    estimatedFixCost: '240000.00',
  },
  {
    label: 'Missed engineer appointment',
    weight: 9,
    stage: 'delivery',
    recentCustomer: true,
    categories: [['free_offering', 3], ['staff_time', 3], ['meeting', 1], ['other', 1]],
    owner: 'coo',
    estimatedFixCost: '45000.00',
  },
  {
    label: 'Slow speeds at peak times',
    weight: 6,
    stage: 'usage',
    categories: [['discount', 3], ['staff_time', 2], ['meeting', 1]],
    owner: 'cpo',
    estimatedFixCost: '310000.00',
  },
  {
    label: 'Onboarding confusion',
    weight: 4,
    stage: 'onboarding',
    recentCustomer: true,
    categories: [['meeting', 3], ['staff_time', 3], ['free_offering', 1]],
    owner: 'cco',
    estimatedFixCost: '18000.00',
  },
  {
    label: 'Duplicate direct debit',
    weight: 4,
    stage: 'billing',
    categories: [['staff_time', 3], ['free_offering', 2], ['meeting', 1]],
    fixed: { monthsAgo: 10, day: 20, cameBack: [{ monthsAgo: 4, day: 9 }, { monthsAgo: 1, day: 15 }] },
    owner: 'cio',
    estimatedFixCost: '30000.00',
  },
  {
    label: 'Wrong plan activated',
    weight: 3,
    stage: 'onboarding',
    recentCustomer: true,
    categories: [['staff_time', 3], ['discount', 2], ['meeting', 1]],
    fixed: { monthsAgo: 14, day: 12, cameBack: [] },
    owner: 'cio',
    estimatedFixCost: '22000.00',
  },
  { label: 'Number porting delay', weight: 1.6, stage: 'delivery', recentCustomer: true, categories: [['free_offering', 2], ['staff_time', 2]] },
  { label: 'Damaged equipment on arrival', weight: 1.3, stage: 'delivery', recentCustomer: true, categories: [['other', 3], ['free_offering', 1]] },
  { label: 'Social media complaint', weight: 0.9, stage: 'support', categories: [['pr_recovery', 3], ['meeting', 1]] },
  { label: 'Contract renewal dispute', weight: 1.2, stage: 'renewal', categories: [['meeting', 2], ['discount', 3]] },
  { label: 'Static IP misconfigured', weight: 1.1, stage: 'usage', categories: [['staff_time', 3]] },
  { label: 'Email service outage', weight: 0.8, stage: 'usage', categories: [['discount', 1], ['free_offering', 2], ['pr_recovery', 0.3]] },
  { label: 'Cancellation not processed', weight: 0.8, stage: 'renewal', categories: [['staff_time', 2], ['free_offering', 1]] },
  { label: 'Technician conduct complaint', weight: 0.5, stage: 'delivery', categories: [['meeting', 2], ['free_offering', 1]] },
  { label: 'Sales tax missing on invoice', weight: 0.7, stage: 'billing', categories: [['staff_time', 3]] },
  { label: 'Press enquiry about outage', weight: 0.25, stage: 'support', categories: [['pr_recovery', 1]] },
];

/** Problems that happen once: they are not repeats, so repeat share stays below 100 %. */
export const ONE_OFF_ISSUES: ReadonlyArray<Pick<IssueSpec, 'label' | 'stage' | 'categories'>> = [
  { label: 'Street cabinet damaged by roadworks on {place} Road', stage: 'usage', categories: [['staff_time', 2], ['free_offering', 1]] },
  { label: 'Order {ref} installed at the wrong site', stage: 'delivery', categories: [['staff_time', 2], ['meeting', 1]] },
  { label: 'Engineer van broke down on the way to {place}', stage: 'delivery', categories: [['free_offering', 1], ['other', 1]] },
  { label: 'Invoice {ref} sent to a former finance contact', stage: 'billing', categories: [['staff_time', 2], ['meeting', 1]] },
  { label: 'Storm damage at the {place} exchange', stage: 'usage', categories: [['staff_time', 2], ['free_offering', 2], ['other', 1]] },
  { label: 'Fibre cut by a contractor near {place} (ticket {ref})', stage: 'usage', categories: [['free_offering', 2], ['staff_time', 1]] },
  { label: 'Welcome email with wrong login details (batch {ref})', stage: 'onboarding', categories: [['staff_time', 2], ['meeting', 1]] },
];

export const NOTES: Record<SpotFixCategory, readonly string[]> = {
  meeting: [
    'Account manager visit to apologise',
    "Escalation call with the customer's operations lead",
    'Service review meeting after complaint',
    'Regional director call to keep the account',
  ],
  free_offering: [
    "Month's service credited",
    'Free speed upgrade',
    'Installation fee waived',
    'Replacement router sent free of charge',
  ],
  discount: ['Retention discount agreed', 'Goodwill discount on next invoices', 'Price matched to keep the account'],
  staff_time: ['Engineer revisit', 'Back-office rework', 'Manual invoice correction', 'Second-line support investigation'],
  pr_recovery: [
    'Agency support for social-media complaint',
    'Press statement and follow-up',
    'Review-site response campaign',
  ],
  other: ['Courier for replacement equipment', 'Hired 4G backup router for the customer', 'Apology gift sent'],
};

/** Parts for plausible, invented business names. */
export const NAME_PARTS = {
  first: [
    'Harbour', 'Northgate', 'Maple', 'Cedar', 'Riverside', 'Summit', 'Bluebell', 'Granite', 'Oakridge', 'Lakeside',
    'Westfield', 'Brookline', 'Ironwood', 'Silverline', 'Kestrel', 'Meadow', 'Copperfield', 'Elm Street', 'Hillcrest',
    'Parkview', 'Foxglove', 'Redwood', 'Stonebridge', 'Willow', 'Beacon', 'Ashford', 'Pinecrest', 'Juniper', 'Larkspur',
    'Okafor', 'Nguyen', 'Patel', 'Schmidt', 'Moreno', 'Kowalski', 'Haddad', 'Lindqvist', 'Tanaka', 'Oduya', 'Brennan',
  ],
  places: [
    'Harbour', 'Northgate', 'Maple', 'Cedar', 'Riverside', 'Summit', 'Granite', 'Oakridge', 'Lakeside', 'Westfield',
    'Brookline', 'Hillcrest', 'Parkview', 'Stonebridge', 'Ashford', 'Pinecrest',
  ],
  trade: {
    'Small business': [
      'Dental', 'Bakery', 'Plumbing', 'Florists', 'Veterinary Clinic', 'Coffee Roasters', 'Print Shop', 'Yoga Studio',
      'Auto Repair', 'Accountants', 'Bookshop', 'Physiotherapy', 'Barbers', 'Architects', 'Pharmacy', 'Deli',
    ],
    'Mid-market': [
      'Logistics', 'Medical Group', 'Engineering', 'Hotels', 'Law Partners', 'Manufacturing', 'Foods', 'Property Management',
      'Building Supplies', 'Dental Group',
    ],
    Enterprise: ['Health System', 'Retail Group', 'Industries', 'Financial Services', 'University', 'Hospitality Group'],
  } as Record<string, readonly string[]>,
  suffix: {
    'Small business': ['', '', ' LLC', ' & Co', ''],
    'Mid-market': [' Inc', ' LLC', ' Group', ''],
    Enterprise: [' Inc', ' Corporation', ' Holdings', ''],
  } as Record<string, readonly string[]>,
};
