/**
 * The demo fleet's users and their PINs: one place for the catalog generator
 * (src/main/demo/demoCatalog.ts hashes the PINs into the catalog) and for the
 * sign-in screen, which shows them on the demo fleet only. These PINs are
 * public (resources/demo/README.md): never use these users on a real fleet.
 */
import type { Role } from '../domain/roles.ts';

export type DemoUser = {
  id: string;
  name: string;
  role: Role;
  pin: string;
  /** Stores the user may act in; empty: all stores. */
  storeIds: string[];
};

export const DEMO_USERS: ReadonlyArray<DemoUser> = [
  { id: 'u-tess', name: 'Tess Tran', role: 'technician', pin: '1111', storeIds: [] },
  { id: 'u-maya', name: 'Maya Moreau', role: 'manager', pin: '2222', storeIds: [] },
  { id: 'u-sam', name: 'Sam Sato', role: 'support', pin: '3333', storeIds: [] },
  { id: 'u-ada', name: 'Ada Admin', role: 'admin', pin: '4444', storeIds: [] },
  {
    id: 'u-leo',
    name: 'Leo Lindqvist',
    role: 'technician',
    pin: '5555',
    storeIds: ['st-par-01', 'st-lyo-01'],
  },
];
