/**
 * Kysely table types. Each feature adds its tables here next to its
 * migration; column names are snake_case as in SQL.
 */
export type DeviceTable = { singleton: number; device_id: string; created_at: string };

export type JournalTable = {
  seq: number;
  id: string;
  at: string;
  type: string;
  store_id: string;
  actor_user_id: string;
  body: string;
  hash: string;
};

export type Schema = {
  device: DeviceTable;
  journal: JournalTable;
};
