import { corePrinters } from './printers/corePrinterSet';
import { customPrinter } from './printers/customPrinter';
import type { Printer, PrinterColumn } from './tableTypes';

/** The printer for a kind: a built-in one by `group/Kind`, else from the printer columns. */
export function printerFor(apiVersion: string, kind: string, printerColumns: readonly PrinterColumn[] = []): Printer {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return corePrinters.get(`${group}/${kind}`) ?? customPrinter(printerColumns);
}
