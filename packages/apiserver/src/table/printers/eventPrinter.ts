import { ageOf } from '../humanDuration';
import { at, type Json, numberAt, stringAt } from '../objectFields';
import type { PrintContext, Printer } from '../tableTypes';
import { column, nameColumn } from './columns';

/** `kubectl get events` (v1 Event): LAST SEEN TYPE REASON OBJECT MESSAGE, more with `-o wide`. */
export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
      { priority: 1 },
    ),
    column('Source', 'string', 'The component reporting this event.', { priority: 1 }),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded.', { priority: 1 }),
    column('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
    { ...nameColumn, priority: 1 },
  ],
  cells: (event: Json, { now }: PrintContext) => {
    const firstSeen = stringAt(event, 'firstTimestamp') || stringAt(event, 'eventTime');
    const first = ageOf(firstSeen, now);
    let last = stringAt(event, 'lastTimestamp') === '' ? first : ageOf(stringAt(event, 'lastTimestamp'), now);
    let count = numberAt(event, 'count') ?? 0;
    if (at(event, 'series') !== undefined) {
      last = ageOf(stringAt(event, 'series', 'lastObservedTime'), now);
      count = numberAt(event, 'series', 'count') ?? 0;
    } else if (count === 0) count = 1;
    return [
      last,
      stringAt(event, 'type'),
      stringAt(event, 'reason'),
      target(event),
      stringAt(event, 'involvedObject', 'fieldPath'),
      source(event),
      stringAt(event, 'message').trim(),
      first,
      count,
      stringAt(event, 'metadata', 'name'),
    ];
  },
};

function target(event: Json): string {
  const kind = stringAt(event, 'involvedObject', 'kind').toLowerCase();
  const name = stringAt(event, 'involvedObject', 'name');
  return name === '' ? kind : `${kind}/${name}`;
}

function source(event: Json): string {
  const component = stringAt(event, 'source', 'component') || stringAt(event, 'reportingComponent');
  const instance = stringAt(event, 'source', 'host') || stringAt(event, 'reportingInstance');
  return instance === '' ? component : `${component}, ${instance}`;
}
