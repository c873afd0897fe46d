import type { NumberDescription } from '../cache/describe-number';

export type CallTitleMessages = {
  call: () => string;
  callOwners: (owners: string) => string;
  notInSellsy: () => string;
  andMore: (count: number) => string;
};

/** The tooltip of a linked number: who will be called, when Sellsy knows them. */
export function callTitle(description: NumberDescription | undefined, messages: CallTitleMessages): string {
  if (!description) return messages.call();
  if (description.owners.length === 0) return description.complete ? messages.notInSellsy() : messages.call();
  const names = description.owners.map(({ name, companyName }) => (companyName ? `${name} (${companyName})` : name));
  if (description.more > 0) names.push(messages.andMore(description.more));
  return messages.callOwners(names.join(', '));
}
