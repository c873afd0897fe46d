import type { SellsyClient } from '../sellsy/api-client';
import { type Comment, createComment, deleteComment, getComment, searchComments, updateComment } from '../sellsy/comments';
import { getPhoneCall, type PhoneCall, type RelatedRecord, updatePhoneCallNote } from '../sellsy/phone-calls';

/** What writing notes asks of Sellsy: the notes' one door to it, so tests can pass a fake. */
export interface SellsyForNotes {
  getPhoneCall(id: number): Promise<PhoneCall | null>;
  /** The description, and the result when given (only ever on a Phone Call of ours). False: it is gone. */
  updatePhoneCallNote(id: number, description: string, result?: string): Promise<boolean>;
  searchComments(record: RelatedRecord, createdSince: string): Promise<Comment[]>;
  /** Null: it is gone. */
  getComment(id: number): Promise<Comment | null>;
  /** Null: the record is gone. */
  createComment(record: RelatedRecord, description: string): Promise<Comment | null>;
  /** False: the comment is gone. */
  updateComment(id: number, description: string): Promise<boolean>;
  /** False: it was already gone. */
  deleteComment(id: number): Promise<boolean>;
}

export function sellsyForNotes(client: SellsyClient): SellsyForNotes {
  return {
    getPhoneCall: (id) => getPhoneCall(client, id),
    updatePhoneCallNote: (id, description, result) => updatePhoneCallNote(client, id, description, result),
    searchComments: (record, since) => searchComments(client, record, since),
    getComment: (id) => getComment(client, id),
    createComment: (record, description) => createComment(client, record, description),
    updateComment: (id, description) => updateComment(client, id, description),
    deleteComment: (id) => deleteComment(client, id),
  };
}
