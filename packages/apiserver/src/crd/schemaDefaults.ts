import type { FieldIssue } from '@keelson/core';
import { prune } from './pruning';
import { compileSchema } from './schemaValidator';
import { type JsonSchema, propertiesOf, subschema } from './structuralSchema';

/**
 * What is wrong with the `default`s of a structural schema, as Kubernetes
 * checks them when a CRD is written: each default must pass the schema it
 * sits in and must survive pruning (a default with fields the schema does not
 * declare would be stored and then pruned away).
 */
export function defaultIssues(schema: JsonSchema, path: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const visit = (node: JsonSchema, at: string) => {
    if (node.default !== undefined) {
      let problems: string[] = [];
      try {
        problems = compileSchema(node)(node.default, 'default').map((issue) => issue.message);
      } catch {
        problems = []; // the schema itself is reported by whoever compiles it
      }
      if (JSON.stringify(prune(node.default, node)) !== JSON.stringify(node.default)) {
        problems.push('Invalid value: must not have unknown fields');
      }
      for (const problem of problems) issues.push({ path: `${at}.default`, message: problem });
    }
    for (const [name, child] of Object.entries(propertiesOf(node))) visit(child, `${at}.properties[${name}]`);
    const items = subschema(node, 'items');
    if (items !== undefined) visit(items, `${at}.items`);
    const additional = subschema(node, 'additionalProperties');
    if (additional !== undefined) visit(additional, `${at}.additionalProperties`);
  };
  visit(schema, path);
  return issues;
}
