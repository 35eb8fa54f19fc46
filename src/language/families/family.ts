// What a model family declares to the language: its sections, network roles and their input
// shapes, output rules, family checks and lints, losses, completion starter and hover facts.
// The checker, lint and editor services are generic; everything that differs between families
// is a field here, and src/language/families/index.ts registers one per FamilyName.
import type { DiagnosticSink } from '../diagnostics';
import type {
  FamilyName,
  NetworkRole,
  ParamValue,
  ResolvedCondition,
  ResolvedTextCondition,
  ResolvedData,
  ResolvedLayer,
  ResolvedLoss,
  ResolvedNetwork,
  Shape,
} from '../model';
import type { SectionDecl } from '../schema/sections';
import type { KindSpec } from '../schema/values';
import type { MergedSection } from '../sections';
import type { Statement } from '../syntax';

/** What the generic resolver knows before the networks are built. */
export interface ModelFacts {
  readonly text: string;
  readonly data: readonly ResolvedData[];
  /** `latent` size, when the model has one. */
  readonly latentSize: number | null;
  /** The evaluated `condition` settings, when the model has them. */
  readonly condition: Readonly<Record<string, ParamValue>> | null;
  /** The family's own settings sections besides `condition` (srgan: upscale, pretrain), evaluated
   *  with defaults; null where one has errors, absent where the model leaves out one with a
   *  required value. */
  readonly settings: Readonly<Record<string, Readonly<Record<string, ParamValue>> | null>>;
  /** The evaluated `levels` settings (pixelcnn), when the model has them. */
  readonly levels: Readonly<Record<string, ParamValue>> | null;
  readonly sections: ReadonlyMap<string, MergedSection>;
}

/** What family checks and lints see: the facts plus the built networks and the loss. */
export interface NetworkFacts extends ModelFacts {
  readonly family: LanguageFamily;
  readonly networks: Partial<Record<NetworkRole, ResolvedNetwork>>;
  /** The last layer statement of each network, where fixes that append layers go. */
  readonly lastLayer: ReadonlyMap<NetworkRole, Statement>;
  readonly loss: ResolvedLoss | null;
  /** Where model-wide diagnostics go (the model's name). */
  readonly at: { readonly start: number; readonly end: number };
  readonly sink: DiagnosticSink;
  /** Notes a family adds to a layer line's hover (pixelcnn: its receptive field), by statement start. */
  readonly notes: Map<number, string>;
  /** Inlay hints a family adds (pixelcnn: the output its `levels` need), by the offset shown at. */
  readonly hints: Map<number, FamilyHint>;
}

/** A family's inlay hint: a short label and its tooltip. */
export interface FamilyHint {
  readonly label: string;
  readonly tooltip: string;
}

/** A family-specific validation, in the manner of Langium's ValidationChecks. */
export type FamilyCheck = (facts: NetworkFacts) => void;

/** How a family's `data` sections map to sources. */
export type DataLayout =
  /** One `data` section. */
  | 'single'
  /** Two sources told apart by `domain=a` / `domain=b` (unpaired translation). */
  | 'domains';

/** The network that draws images, and the shape it must draw. */
export interface ImageOutputRule {
  readonly role: NetworkRole;
  /** The shape its output must have, given the data (null: the family checks the output itself). */
  readonly target: (data: readonly ResolvedData[]) => Shape | null;
  /** The activation the loss itself needs at the output (W407), e.g. sigmoid for a BCE term. */
  readonly requiredActivation?: (
    loss: ResolvedLoss | null,
  ) => { readonly activation: string; readonly why: string; readonly alternative: string } | null;
  /** Whether a linear output is fine (a Gaussian mean under an MSE term). */
  readonly linearAllowed?: (loss: ResolvedLoss | null) => boolean;
}

/** Present in adversarial families: the critic role and what its output may be. */
export interface AdversarialRule {
  readonly critic: NetworkRole;
  /** PatchGAN: logits per image patch, [h, w, 1], are allowed as well as one logit. */
  readonly patchLogits: boolean;
}

export interface LanguageFamily<N extends FamilyName = FamilyName> {
  readonly name: N;
  readonly doc: string;
  /** The family's own sections (besides data, loss, optimizer, train, sample, evaluate), in order. */
  readonly sections: readonly SectionDecl[];
  /** Sections every model of the family needs. */
  readonly required: readonly string[];
  /** The networks the family builds, one section each. */
  readonly roles: readonly NetworkRole[];
  readonly dataLayout: DataLayout;
  readonly losses: readonly KindSpec[];
  readonly defaultLoss: string;
  /** Each role's input shape (null: not known because something it depends on has errors). */
  readonly networkInputs: (facts: ModelFacts) => Partial<Record<NetworkRole, Shape | null>>;
  /** Parameters a layer of a role's network gains from the conditioning, counted with the layer
   *  (a conditional pixelcnn's class biases; conditional batch norm's γ and β for the other classes). */
  readonly layerParams?: (
    role: NetworkRole,
    layer: {
      readonly kind: string;
      readonly params: Readonly<Record<string, ParamValue>>;
      readonly output: Shape;
    },
    facts: ModelFacts,
  ) => number;
  /** Parameters of layers the trainer adds to a role's network (vae: the mean and log-variance heads). */
  readonly headParams?: (
    role: NetworkRole,
    output: Shape,
    facts: ModelFacts,
    network: { readonly layers: readonly ResolvedLayer[] },
  ) => number;
  readonly imageOutput: ImageOutputRule;
  readonly adversarial: AdversarialRule | null;
  /**
   * Resolves the family's conditioning and adjusts its data (a labelled folder's class count comes
   * from `condition`); reports what is wrong. Families without conditioning leave it out.
   */
  readonly resolveCondition?: (
    facts: ModelFacts & { readonly sink: DiagnosticSink; readonly at: NetworkFacts['at'] },
  ) => {
    readonly condition: ResolvedCondition | null;
    readonly textCondition?: ResolvedTextCondition | null;
    readonly data: readonly ResolvedData[];
  };
  readonly checks: readonly FamilyCheck[];
  /** Hover: how many times each network is built (cyclegan: a→b and b→a). */
  readonly buildsPerNetwork: number;
  readonly buildNote?: string;
  /** The completion starter (VS Code snippet syntax; `${1:name}` is the model name). */
  readonly template: string;
  /** The model gives each image an exact likelihood (the `nll` metric applies). */
  readonly likelihood?: boolean;
  /** Every model of the family draws its samples for captions (stackgan); cgan's are when they
   *  declare `condition text`. */
  readonly captioned?: boolean;
  /** Caption-drawn samples: the columns one noise draw fills in a caption's row (stackgan: 2, stage
   *  I beside stage II; default 1). */
  readonly columnsPerDraw?: number;
  /** The family trains on clips (a clip data source's `frames` frames per item); others on images. */
  readonly clips?: boolean;
  /** What the rows of a sample grid are (hover and docs), e.g. one row per class. */
  readonly sampleRows?: string;
}

/** How many `data` sections the family takes. */
export function dataSourceCount(family: Pick<LanguageFamily, 'dataLayout'>): number {
  return family.dataLayout === 'domains' ? 2 : 1;
}
