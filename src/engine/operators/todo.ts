/**
 * todo: a placeholder for a rule not written yet (criteria scaffolded by `elig init`). Always
 * `unknown`, never pass: a criterion nobody has written cannot let a patient through. What would
 * decide it is the rule itself, listed as the missing item `rule:todo`.
 */
import type { RuleNode } from '../../language/schema.js';
import type { CompileEnv, Evaluator } from '../context.js';
import { fixedMissing, fixedReason, missing } from '../reasons.js';

/** The missing item of every to-do rule. */
export const TODO_ITEM = 'rule:todo';

type TodoNode = Extract<RuleNode, { todo: string }>;

export function compileTodo(node: TodoNode, _env: CompileEnv): Evaluator {
  const why = fixedReason('todo', 'unknown', { subject: node.todo });
  const needed = fixedMissing(missing(TODO_ITEM, `the criterion's rule, not written yet (${node.todo})`));
  return () => ({ status: 'unknown', reasons: [why], missing: needed });
}
