import { t } from '../../i18n/index.ts';

const STATUS_COLORS: Record<string, string> = {
  new: 'blue',
  triaged: 'cyan',
  in_progress: 'violet',
  needs_info: 'orange',
  fixed: 'teal',
  wont_fix: 'gray',
  duplicate: 'gray',
  discarded: 'gray',
};

export function statusColor(status: string): string {
  return STATUS_COLORS[status] ?? 'gray';
}

/** A report status in words; an unknown one (a newer server) as it is. */
export function statusWords(status: string): string {
  return t(`supportDesk:statuses.${status}` as 'supportDesk:statuses.new', {
    defaultValue: status,
  });
}

export function requestStatusWords(status: string): string {
  return t(`supportDesk:requestStatuses.${status}` as 'supportDesk:requestStatuses.open', {
    defaultValue: status,
  });
}

export function severityColor(severity: string): string {
  if (severity === 'S1' || severity === 'blocker') return 'red';
  if (severity === 'S2' || severity === 'major') return 'orange';
  if (severity === 'S3' || severity === 'minor') return 'yellow';
  return 'gray';
}
