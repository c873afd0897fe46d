import { t, type MessageKey } from '@/components/i18n';
import type { RecordKind } from '@/lib/cache/schema';
import type { PanelRecord } from '@/lib/dialer/number-records';

const KIND_KEYS: Record<RecordKind, MessageKey> = { contact: 'panelKindContact', company: 'panelKindCompany', individual: 'panelKindIndividual' };

/** A Sellsy record as the side panel names it: a link that opens it, its company, its kind. */
export function PanelRecordLabel({ record, openRecord }: { record: PanelRecord; openRecord(url: string): void }) {
  return (
    <>
      <a
        href={record.url}
        onClick={(event) => {
          event.preventDefault();
          openRecord(record.url);
        }}
      >
        {record.name}
      </a>
      {record.companyName ? ` · ${record.companyName}` : ''}
      <span class="hint"> · {t(KIND_KEYS[record.kind])}</span>
    </>
  );
}
