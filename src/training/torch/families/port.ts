// What a family brings to the torch engine: its networks in PyTorch (model.py), its step in
// PyTorch (a FamilyEngine on engineServer.ts's Engine), and the inputs each step sends, drawn
// from the data and the random stream in the order the TensorFlow.js family draws them.
import type * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import type { Family, FamilyDeps } from '../../engine/families/family';

/** One tensor of a step's inputs: `rows` rows (images, or one row per image), split by rows over
 *  the processes of a data-parallel run. */
export interface StepInput {
  readonly values: Float32Array | Int32Array;
  readonly rows: number;
}

export interface TorchPort {
  /** The networks the trainer pushes (TensorFlow.js's initial weights) in this order, unless
   *  `weightSets` names sub-networks instead; the rest of the TensorFlow.js family's networks (an
   *  average) PyTorch derives itself. */
  readonly pushed: readonly string[];
  /** model.py: the networks as PyTorch modules. */
  modelPy(model: ResolvedModel): string;
  /** The family's part of engine.py: constants and `class FamilyEngine(Engine)`. */
  enginePy(model: ResolvedModel): string;
  /** What model.py's names engine.py imports. */
  imports(model: ResolvedModel): readonly string[];
  /** The inputs of step `step` (0-based), in the order FamilyEngine.step takes them; `inner` is the
   *  model's TensorFlow.js family (stackgan: its vocabulary). */
  stepInputs(deps: FamilyDeps, step: number, inner: Family): Promise<readonly StepInput[]>;
  /** The TensorFlow.js (sub)networks whose weights cross, by the names engine.py knows them
   *  (its `parts`): `pushed` start PyTorch, in this order; `pulled` come back. Default: `pushed`
   *  of the family's networks, and every network back. */
  weightSets?(inner: Family): {
    readonly pushed: readonly (readonly [string, tf.LayersModel])[];
    readonly pulled: readonly (readonly [string, tf.LayersModel])[];
  };
  /** What the Python step reads besides its inputs, as `self.state` (progan: stage and α). */
  stepState?(model: ResolvedModel, step: number): Readonly<Record<string, number | boolean>>;
  /** After PyTorch's weights came back: the TensorFlow.js networks shown as during step `step`. */
  synced?(inner: Family, step: number): void;
}
