import { domainEventCodec, UnitRegistered, Upcaster } from '@app/domain';

/**
 * A schema change as it would be made: UnitRegistered v1 (written by an earlier release) named its
 * fields `members` and `parent`; v2 is today's shape. The upcaster is registered through the same
 * registry the service uses.
 */
export const unitRegisteredV1: Upcaster = {
  type: 'UnitRegistered',
  fromVersion: 1,
  upcast: ({ members, parent, ...rest }) => ({ ...rest, memberCount: members, parentId: parent }),
};

export const codecWithUnitRegisteredV2 = domainEventCodec.with([unitRegisteredV1], { UnitRegistered: 2 });

/** The data of `event` as the previous schema wrote it. */
export function asWrittenByV1(event: UnitRegistered): Record<string, unknown> {
  const { memberCount, parentId, ...rest } = event.data;
  return { ...rest, members: memberCount, parent: parentId };
}
