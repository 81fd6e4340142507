/**
 * Demo checklist templates: the POS smoke test a technician runs on
 * each updated terminal, and the user acceptance test the store manager runs,
 * plus what each demo release requires. Written into catalog.json by generate.ts.
 */
import type {
  ChecklistItem,
  ChecklistTemplate,
  ReleaseChecklistRequirement,
} from '../../src/shared/checklists/template.ts';

const passFail = { type: 'passFail' } as const;

function item(
  id: string,
  title: string,
  instructions: string,
  answer: ChecklistItem['answer'] = passFail,
  extra: Partial<ChecklistItem> = {},
): ChecklistItem {
  return { id, title, instructions, isMandatory: true, answer, ...extra };
}

export const SMOKE_TEMPLATE_ID = 'tpl-smoke-pos';
export const UAT_TEMPLATE_ID = 'tpl-uat-pos';

export const DEMO_SMOKE_TEMPLATE: ChecklistTemplate = {
  id: SMOKE_TEMPLATE_ID,
  name: 'POS smoke test',
  kind: 'smoke',
  version: 1,
  description:
    'Run on every terminal right after an update, before the till opens to customers. About 10 minutes a terminal.',
  sections: [
    {
      id: 'start',
      title: 'Start-up',
      items: [
        item(
          'boot',
          'Terminal starts to the sign-in screen',
          'Power-cycle the terminal. It must reach the cashier sign-in screen without an error dialog.',
        ),
        item(
          'version',
          'About screen shows the new version',
          'Open Menu › About. The version must be the release you deployed.',
        ),
        item(
          'boot-time',
          'Start-up time',
          'Time from power button to sign-in screen, with a stopwatch.',
          {
            type: 'number',
            unit: 's',
            min: 1,
            max: 900,
            threshold: { op: '<=', value: 120 },
          },
        ),
        item('cashier-sign-in', 'Cashier can sign in', 'Sign in with the training cashier badge.'),
      ],
    },
    {
      id: 'sales',
      title: 'Sales',
      items: [
        item(
          'scan-sale',
          'Scanned sale',
          'Scan two items, check the prices and the total, pay cash.',
        ),
        item(
          'price-check',
          'Price check',
          'Use Price check on a shelf item; the price must match the shelf label.',
        ),
        item(
          'card-payment',
          'Card payment (chip and PIN)',
          'Pay a 1.00 sale with the test card on the PIN pad.',
        ),
        item(
          'contactless',
          'Contactless payment',
          'Pay a 1.00 sale with the contactless test card.',
          passFail,
          { isMandatory: false },
        ),
        item('refund', 'Refund to card', 'Refund the 1.00 card sale from the receipt barcode.'),
        item(
          'void-line',
          'Void a line',
          'Scan an item and void it before payment; the total must go back down.',
        ),
      ],
    },
    {
      id: 'peripherals',
      title: 'Peripherals',
      items: [
        item(
          'receipt-print',
          'Receipt printed in time',
          'From "Pay" to the receipt fully cut, in milliseconds (the terminal shows it in Diagnostics › Last print).',
          {
            type: 'number',
            unit: 'ms',
            min: 0,
            max: 60_000,
            threshold: { op: '<=', value: 2000 },
          },
        ),
        item(
          'receipt-readable',
          'Receipt is readable',
          'Logo, lines, totals and the barcode print clearly.',
        ),
        item(
          'receipt-photo',
          'Photo of the printed receipt',
          'Take a photo of the test receipt: it documents the print quality.',
          { type: 'photo' },
          { isMandatory: false },
        ),
        item('cash-drawer', 'Cash drawer', 'Does the drawer open at the end of a cash sale?', {
          type: 'choice',
          options: [
            { id: 'opens', label: 'Opens' },
            { id: 'sticks', label: 'Opens but sticks' },
            { id: 'closed', label: 'Does not open' },
          ],
          // A drawer that sticks holds up every cash sale: it is a defect to fix, not a pass.
          failingOptionIds: ['sticks', 'closed'],
        }),
        item(
          'drawer-note',
          'What is wrong with the drawer?',
          'Describe the problem (noise, manual release needed…).',
          { type: 'text', maxLength: 500 },
          {
            showWhen: { itemId: 'cash-drawer', answers: ['sticks', 'closed'] },
          },
        ),
        item(
          'scanner',
          'Handheld scanner reads barcodes',
          'Scan a barcode from a product and from a phone screen.',
        ),
        item(
          'customer-display',
          'Customer display shows items and total',
          'Look at the customer-facing display during a sale.',
          passFail,
          { isMandatory: false },
        ),
      ],
    },
    {
      id: 'resilience',
      title: 'Offline and close',
      items: [
        item(
          'offline-sale',
          'Sale in offline mode',
          'Unplug the network cable, make a cash sale, plug it back in.',
        ),
        item(
          'offline-sync',
          'Offline sale reaches the back office',
          'Within 5 minutes of reconnecting, the offline sale appears in the back office journal.',
          passFail,
          {
            showWhen: { itemId: 'offline-sale', answers: ['pass'] },
          },
        ),
        item(
          'loyalty',
          'Loyalty lookup',
          'Look up the test loyalty card; the points balance shows.',
        ),
        item('eod', 'End-of-day report', 'Run X report (not Z): totals must match the test sales.'),
        item(
          'tech-signature',
          'Technician signature',
          'Sign to confirm the smoke test was run on this terminal.',
          { type: 'signature' },
          { isMandatory: false },
        ),
      ],
    },
  ],
};

export const DEMO_UAT_TEMPLATE: ChecklistTemplate = {
  id: UAT_TEMPLATE_ID,
  name: 'POS user acceptance test',
  kind: 'uat',
  version: 1,
  description:
    'The store manager runs the day-to-day till work on the updated terminal and accepts it for the store.',
  sections: [
    {
      id: 'daily',
      title: 'Daily work',
      items: [
        item('open-till', 'Open the till with a float', 'Open the till and count the float.'),
        item(
          'multi-item-sale',
          'Sale of 10 items with a promotion',
          'Ring up 10 items including a 3-for-2 promotion; the discount shows on screen and receipt.',
        ),
        item(
          'weighed-item',
          'Weighed item',
          'Sell a weighed item from the scale; the weight and price are right.',
        ),
        item('split-payment', 'Split payment', 'Pay one sale part cash, part card.'),
        item(
          'gift-card',
          'Gift card sale and redemption',
          'Sell a gift card, then pay with it.',
          passFail,
          { isMandatory: false },
        ),
        item(
          'return-no-receipt',
          'Return without receipt',
          'Return an item without receipt under the store policy (manager approval).',
        ),
        item(
          'price-override',
          'Price override needs a manager',
          'Try a price override as cashier: it must ask for a manager.',
        ),
        item(
          'queue-time',
          'Time for a 5-item sale',
          'Seconds from first scan to receipt, with a stopwatch.',
          {
            type: 'number',
            unit: 's',
            min: 1,
            max: 3600,
            threshold: { op: '<=', value: 60 },
          },
        ),
      ],
    },
    {
      id: 'customer',
      title: 'Customer experience',
      items: [
        item(
          'loyalty-earn',
          'Loyalty points earned',
          'Sale with the test loyalty card: the receipt shows the points earned.',
        ),
        item('receipt-email', 'E-mail receipt', 'Send a receipt to the store mailbox.', passFail, {
          isMandatory: false,
        }),
        item(
          'display-language',
          'Screens in the store language',
          'Cashier and customer screens show no untranslated text.',
        ),
        item('speed-feel', 'How does the till feel?', 'Compared with before the update.', {
          type: 'choice',
          options: [
            { id: 'faster', label: 'Faster' },
            { id: 'same', label: 'The same' },
            { id: 'slower', label: 'Slower but acceptable' },
            { id: 'too-slow', label: 'Too slow for the queue' },
          ],
          failingOptionIds: ['too-slow'],
        }),
        item(
          'slow-where',
          'Where is it slower?',
          'Which screen or step is slower?',
          { type: 'text', maxLength: 500 },
          {
            showWhen: { itemId: 'speed-feel', answers: ['slower', 'too-slow'] },
          },
        ),
      ],
    },
    {
      id: 'close',
      title: 'Closing',
      items: [
        item(
          'cash-up',
          'Cash-up and Z report',
          'Count the drawer and run the Z report; differences are explained.',
        ),
        item('z-report-photo', 'Photo of the Z report', 'Photograph the printed Z report.', {
          type: 'photo',
        }),
        item(
          'staff-feedback',
          'Staff remarks',
          'Anything the cashiers noticed.',
          { type: 'text', maxLength: 1000 },
          { isMandatory: false },
        ),
        item(
          'manager-signature',
          'Store manager acceptance',
          'Sign to accept the update for day-to-day use.',
          { type: 'signature' },
        ),
      ],
    },
  ],
};

export const DEMO_CHECKLIST_TEMPLATES: ChecklistTemplate[] = [
  DEMO_SMOKE_TEMPLATE,
  DEMO_UAT_TEMPLATE,
];

/**
 * Hotfixes and patches need the smoke test on 2 terminals of a store; minor
 * releases also the UAT on 1; the major release the UAT on 2.
 */
export function demoChecklistRequirements(
  releases: ReadonlyArray<{ id: string; type: string }>,
): ReleaseChecklistRequirement[] {
  return releases.flatMap((r) => {
    const smoke = { releaseId: r.id, templateId: SMOKE_TEMPLATE_ID, terminalCount: 2 };
    if (r.type === 'minor')
      return [smoke, { releaseId: r.id, templateId: UAT_TEMPLATE_ID, terminalCount: 1 }];
    if (r.type === 'major')
      return [smoke, { releaseId: r.id, templateId: UAT_TEMPLATE_ID, terminalCount: 2 }];
    return [smoke];
  });
}

/** The checklist part of the demo catalog. */
export function demoChecklistCatalogParts(releases: ReadonlyArray<{ id: string; type: string }>): {
  checklistTemplates: ChecklistTemplate[];
  checklistRequirements: ReleaseChecklistRequirement[];
} {
  return {
    checklistTemplates: DEMO_CHECKLIST_TEMPLATES,
    checklistRequirements: demoChecklistRequirements(releases),
  };
}
