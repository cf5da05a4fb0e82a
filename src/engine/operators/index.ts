/** The operator registry: one line per operator; each operator lives in its own file. */
import type { NodeKind, RuleNode } from '../../language/schema.js';
import type { CompileEnv, Evaluator } from '../context.js';
import { compileAttestation } from './attestation.js';
import { compileCondition } from './condition.js';
import { compileFact } from './fact.js';
import { compileFinding } from './finding.js';
import { compileAll, compileAny, compileAtLeast, compileNot, compileRef } from './logic.js';
import { compileMeasurement } from './measurement.js';
import { compileMedication } from './medication.js';
import { compileScore } from './score.js';
import { compileTodo } from './todo.js';
import { compileElapsed } from './elapsed.js';
import { compileProcedure } from './procedure.js';
import { compileCount } from './count.js';
import { compileChange } from './change.js';
import { compileDevice } from './device.js';
import { compileAllergy } from './allergy.js';
import { compileFamilyHistory } from './familyHistory.js';
import { compileSubstanceUse } from './substanceUse.js';

type Compiler = (node: never, env: CompileEnv) => Evaluator;

export const OPERATORS: Record<NodeKind, Compiler> = {
  all: compileAll,
  any: compileAny,
  not: compileNot,
  atLeast: compileAtLeast,
  ref: compileRef,
  fact: compileFact,
  measurement: compileMeasurement,
  score: compileScore,
  condition: compileCondition,
  medication: compileMedication,
  finding: compileFinding,
  attestation: compileAttestation,
  todo: compileTodo,
  procedure: compileProcedure,
  elapsed: compileElapsed,
  count: compileCount,
  change: compileChange,
  device: compileDevice,
  allergy: compileAllergy,
  familyHistory: compileFamilyHistory,
  substanceUse: compileSubstanceUse,
};

export function compileNode(kind: NodeKind, node: RuleNode, env: CompileEnv): Evaluator {
  return (OPERATORS[kind] as (n: RuleNode, e: CompileEnv) => Evaluator)(node, env);
}
