// What a family brings to the torch engine: its networks in PyTorch (model.py), its step in
// PyTorch (a FamilyEngine on engineServer.ts's Engine), and the inputs each step sends, drawn
// from the data and the random stream in the order the TensorFlow.js family draws them.
import type { ResolvedModel } from '../../../language/model';
import type { FamilyDeps } from '../../engine/families/family';

/** One tensor of a step's inputs: `rows` rows (images, or one row per image), split by rows over
 *  the processes of a data-parallel run. */
export interface StepInput {
  readonly values: Float32Array | Int32Array;
  readonly rows: number;
}

export interface TorchPort {
  /** The networks the trainer pushes (TensorFlow.js's initial weights) in this order; the rest of
   *  the TensorFlow.js family's networks (an average) PyTorch derives itself. */
  readonly pushed: readonly string[];
  /** model.py: the networks as PyTorch modules. */
  modelPy(model: ResolvedModel): string;
  /** The family's part of engine.py: constants and `class FamilyEngine(Engine)`. */
  enginePy(model: ResolvedModel): string;
  /** What model.py's names engine.py imports. */
  imports(model: ResolvedModel): readonly string[];
  /** One step's inputs, in the order FamilyEngine.step takes them. */
  stepInputs(deps: FamilyDeps): Promise<readonly StepInput[]>;
}
