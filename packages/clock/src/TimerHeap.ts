/** @internal A timer as the virtual clock keeps it. */
export interface ScheduledTimer {
  due: number;
  /** Order of `setTimeout` calls: breaks ties between timers due at one instant. */
  seq: number;
  fn: () => void;
  background: boolean;
  cancelled: boolean;
}

function before(a: ScheduledTimer, b: ScheduledTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/**
 * @internal A binary min-heap ordered by (due, seq): O(log n) to set or fire a
 * timer, whatever the number of timers pending.
 */
export class TimerHeap {
  private readonly items: ScheduledTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): ScheduledTimer | undefined {
    return this.items[0];
  }

  push(timer: ScheduledTimer): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as ScheduledTimer;
      if (!before(timer, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = timer;
  }

  pop(): ScheduledTimer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right] as ScheduledTimer, items[left] as ScheduledTimer)) child = right;
      const c = items[child] as ScheduledTimer;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
