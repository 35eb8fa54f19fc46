// A resolved network as readable PyTorch: one `nn.Sequential` line per operation, each with the
// `.gan` layer it comes from and its output shape, and the semantics of the TensorFlow.js engine
// (TensorFlow's `same` padding, batch-norm momentum and epsilon, channels-last flatten and reshape,
// Glorot-uniform initial weights). Layers the export does not cover yet are refused by name and line.
import { LAYERS, numericDefault as defaultOf } from '../../language/schema';
import type { ResolvedLayer, ResolvedNetwork, Shape } from '../../language/model';

export class ExportError extends Error {}

type Params = ResolvedLayer['params'];

const num = (p: Params, name: string): number => p[name] as number;
const str = (p: Params, name: string): string => String(p[name]);
const bool = (p: Params, name: string): boolean => p[name] === true;

/** A number as Python reads it back exactly (JavaScript's shortest round-trip form). */
const py = (n: number): string => String(n);

function shapeText(shape: Shape): string {
  return shape.join('×');
}

function activation(name: string): string[] {
  switch (name) {
    case 'linear':
      return [];
    case 'leakyrelu':
      return [`nn.LeakyReLU(${py(defaultOf('leakyrelu', 'alpha'))})`];
    case 'relu':
      return ['nn.ReLU()'];
    case 'tanh':
      return ['nn.Tanh()'];
    case 'sigmoid':
      return ['nn.Sigmoid()'];
    case 'elu':
      return ['nn.ELU()'];
    default:
      throw new ExportError(`activation ${name} has no PyTorch export yet`);
  }
}

/** TensorFlow.js's BatchNormalization keeps moving = m·moving + (1 − m)·batch; PyTorch's momentum is 1 − m. */
function batchNorm(shape: Shape, momentum: number, epsilon: number, labels: LabelInput): string {
  const torchMomentum = py(Number((1 - momentum).toPrecision(12)));
  const channels = shape[shape.length - 1];
  // generator=batchnorm: every batch norm takes its scale and shift from the class.
  if (labels === 'batchnorm')
    return `ConditionalBatchNorm(${channels}, CLASSES, momentum=${torchMomentum}, eps=${py(epsilon)})`;
  const kind = shape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
  return `nn.${kind}(${channels}, momentum=${torchMomentum}, eps=${py(epsilon)})`;
}

function normalization(kind: string, shape: Shape, labels: LabelInput): string[] {
  switch (kind) {
    case 'none':
      return [];
    case 'batch':
      return [
        batchNorm(shape, defaultOf('batchnorm', 'momentum'), defaultOf('batchnorm', 'epsilon'), labels),
      ];
    case 'instance':
      return [`nn.InstanceNorm2d(${shape[2]}, eps=${py(defaultOf('instancenorm', 'epsilon'))}, affine=True)`];
    case 'layer':
      return [`ChannelLayerNorm(${shape[shape.length - 1]}, eps=${py(defaultOf('layernorm', 'epsilon'))})`];
    default:
      throw new ExportError(`norm=${kind} has no PyTorch export yet`);
  }
}

function refuse(layer: ResolvedLayer, why: string): never {
  throw new ExportError(`line ${layer.line + 1}: \`${layer.kind}\` ${why}`);
}

/** The PyTorch modules of one layer (several when it carries a norm or an activation); `labels`:
 *  how the network takes the class (its PixelCNN layers' biases, its conditional batch norms). */
function layerModules(layer: ResolvedLayer, indent: string, labels: LabelInput): string[] {
  const classes = labels === 'classbias' ? 'CLASSES' : '0';
  const p = layer.params;
  const input = layer.inputShape;
  const output = layer.outputShape;
  // sn=true: the same operation, its kernel spectrally normalised (pytorchRuntime.ts, spectral_weight).
  const sn = bool(p, 'sn') ? 'SN' : '';
  switch (layer.kind) {
    case 'dense':
      return [
        `${sn ? 'SNLinear' : 'nn.Linear'}(${input[input.length - 1]}, ${num(p, 'units')}, bias=${bool(p, 'bias') ? 'True' : 'False'})`,
        ...activation(str(p, 'activation')),
      ];
    case 'conv':
    case 'deconv': {
      const args = `${input[2]}, ${num(p, 'filters')}, kernel=${num(p, 'kernel')}, stride=${num(p, 'stride')}, padding="${str(p, 'padding')}", bias=${bool(p, 'bias') ? 'True' : 'False'}`;
      const op = sn + (layer.kind === 'conv' ? 'Conv2dTF' : 'ConvTranspose2dTF');
      return [
        `${op}(${args})`,
        ...normalization(str(p, 'norm'), output, labels),
        ...activation(str(p, 'activation')),
      ];
    }
    case 'batchnorm':
      return [batchNorm(input, num(p, 'momentum'), num(p, 'epsilon'), labels)];
    case 'instancenorm':
      return [`nn.InstanceNorm2d(${input[2]}, eps=${py(num(p, 'epsilon'))}, affine=True)`];
    case 'layernorm':
      return [`ChannelLayerNorm(${input[input.length - 1]}, eps=${py(num(p, 'epsilon'))})`];
    case 'relu':
    case 'tanh':
    case 'sigmoid':
    case 'elu':
      return activation(layer.kind);
    case 'leakyrelu':
      return [`nn.LeakyReLU(${py(num(p, 'alpha'))})`];
    case 'maskedconv':
      return [
        `MaskedConv2dTF(${input[2]}, ${num(p, 'filters')}, kernel=${num(p, 'kernel')}, mask="${str(p, 'mask')}", bias=${bool(p, 'bias') ? 'True' : 'False'}, classes=${classes})`,
        ...activation(str(p, 'activation')),
      ];
    case 'gated':
      return [
        `GatedPixelTF(${input[2]}, ${num(p, 'filters')}, kernel=${num(p, 'kernel')}, mask="${str(p, 'mask')}", classes=${classes})`,
      ];
    case 'pixelnorm':
      return [`PixelNorm(eps=${py(num(p, 'epsilon'))})`];
    case 'minibatchstd':
      return [`MinibatchStd(group=${num(p, 'group')})`];
    case 'gru':
    case 'lstm':
      return [
        `RecurrentTF(${input[input.length - 1]}, ${num(p, 'units')}, gates=${layer.kind === 'gru' ? 3 : 4})`,
      ];
    case 'prelu':
      // One slope per channel (TensorFlow.js shares it over height and width), or per unit.
      return [`nn.PReLU(${input[input.length - 1]}, init=${py(num(p, 'alpha'))})`];
    case 'pixelshuffle':
      return [`PixelShuffleTF(${num(p, 'factor')})`];
    case 'dropout':
      return [`nn.Dropout(${py(num(p, 'rate'))})`];
    case 'flatten':
      return ['FlattenChannelsLast()'];
    case 'reshape':
      return [`ReshapeChannelsLast(${output.join(', ')})`];
    case 'upsample':
      return [`nn.Upsample(scale_factor=${num(p, 'factor')}, mode="nearest")`];
    case 'maxpool':
      return [`nn.MaxPool2d(${num(p, 'size')})`];
    case 'avgpool':
      return [`nn.AvgPool2d(${num(p, 'size')})`];
    case 'residual': {
      const body = sequential(layer.body ?? [], `${indent}    `, labels);
      return [`Residual(\n${indent}    ${body}\n${indent})`];
    }
    default:
      return refuse(layer, 'has no PyTorch export yet');
  }
}

/** The layer as the file writes it: positional values, then the settings that differ from their defaults. */
function sourceOf(layer: ResolvedLayer): string {
  const spec = LAYERS.find((l) => l.name === layer.kind);
  const words = [layer.kind];
  for (const param of spec?.params ?? []) {
    const value = layer.params[param.name];
    if (value === undefined || typeof value === 'object') continue;
    if (param.positional) words.push(String(value));
    else if (value !== param.default) words.push(`${param.name}=${String(value)}`);
  }
  return words.join(' ');
}

/** `nn.Sequential(...)` of the layers, one module per line, each commented with its `.gan` layer. */
export function sequential(
  layers: readonly ResolvedLayer[],
  indent: string,
  labels: LabelInput = 'none',
): string {
  const lines: string[] = [];
  for (const layer of layers) {
    const modules = layerModules(layer, `${indent}    `, labels);
    modules.forEach((module, i) => {
      const comment =
        i === 0 ? `  # line ${layer.line + 1}: ${sourceOf(layer)} -> ${shapeText(layer.outputShape)}` : '';
      // A module over several lines (residual) carries its comment on its first line.
      const [first, ...rest] = `${module},`.split('\n');
      lines.push([`${indent}    ${first}${comment}`, ...rest].join('\n'));
    });
  }
  return `nn.Sequential(\n${lines.join('\n')}\n${indent})`;
}

/** How a network's forward pass takes a class label. cgan: the one-hot label joined to z (the
 *  default), its learned embedding joined to z (`embed`), or conditional batch norms with z alone
 *  (`batchnorm`); at the discriminator one one-hot plane per class (the default), one plane learned
 *  from the embedding (`embedplane`), or the projection of its features onto the class's embedding
 *  (`projection`). A conditional PixelCNN hands it to its layers, which add a learned bias per class. */
export type LabelInput =
  'none' | 'onehot' | 'planes' | 'classbias' | 'embed' | 'batchnorm' | 'embedplane' | 'projection';

const SET_LABELS = [
  '        label = F.one_hot(labels, CLASSES).float()',
  '        for layer in self.modules():',
  '            if isinstance(layer, ClassConditioned):',
  '                layer.label = label',
];

const FORWARD: Readonly<Record<LabelInput, readonly string[]>> = {
  none: ['    def forward(self, x):', '        return self.layers(x)'],
  onehot: [
    '    def forward(self, z, labels):',
    '        return self.layers(torch.cat([z, F.one_hot(labels, CLASSES).float()], dim=1))',
  ],
  planes: [
    '    def forward(self, x, labels):',
    '        planes = F.one_hot(labels, CLASSES).float()[:, :, None, None].expand(-1, -1, x.shape[2], x.shape[3])',
    '        return self.layers(torch.cat([x, planes], dim=1))',
  ],
  classbias: ['    def forward(self, x, labels):', ...SET_LABELS, '        return self.layers(x)'],
  batchnorm: ['    def forward(self, z, labels):', ...SET_LABELS, '        return self.layers(z)'],
  embed: [
    '    def forward(self, z, labels):',
    '        return self.layers(torch.cat([z, self.embedding(F.one_hot(labels, CLASSES).float())], dim=1))',
  ],
  embedplane: [
    '    def forward(self, x, labels):',
    '        plane = self.label_dense(self.embedding(F.one_hot(labels, CLASSES).float()))',
    '        return self.layers(torch.cat([x, plane.reshape(-1, 1, x.shape[2], x.shape[3])], dim=1))',
  ],
  projection: [
    '    def forward(self, x, labels):',
    '        features = self.layers(x)',
    '        projected = (features * self.projection(F.one_hot(labels, CLASSES).float())).sum(1, keepdim=True)',
    '        return self.last(features) + projected',
  ],
};

/** Dense heads after the network's flat features (the vae encoder's mean and log-variance): the
 *  forward pass returns one tensor per head. */
export interface NetworkHeads {
  readonly names: readonly string[];
  readonly units: number;
}

/** A `class NAME(nn.Module)` for the network: its layers, then TensorFlow.js's initial weights. */
export function networkClass(
  network: ResolvedNetwork,
  className: string,
  doc: string,
  labels: LabelInput = 'none',
  heads?: NetworkHeads,
): string {
  const features = network.outputShape[network.outputShape.length - 1];
  const outputs = heads ? `${heads.names.length} × ${heads.units}` : shapeText(network.outputShape);
  // The projection discriminator keeps its last layer apart: the score is last(φ(x)) + ⟨embedding(y), φ(x)⟩.
  const body = labels === 'projection' ? network.layers.slice(0, -1) : network.layers;
  const last = network.layers[network.layers.length - 1];
  const [h, w] = network.inputShape;
  // Members in TensorFlow.js's weight order (checkpoints and the torch engine cross by position).
  const before =
    labels === 'embed'
      ? ['        self.embedding = ClassTable(CLASSES, EMBED)']
      : labels === 'embedplane'
        ? [
            '        self.embedding = ClassTable(CLASSES, EMBED)',
            `        self.label_dense = nn.Linear(EMBED, ${h * w})`,
          ]
        : [];
  const after =
    labels === 'projection' && last
      ? [
          `        self.projection = ClassTable(CLASSES, ${last.inputShape[0]})`,
          `        self.last = ${sequential([last], '        ')}`,
        ]
      : [];
  return [
    `class ${className}(nn.Module):`,
    `    """${doc} ${shapeText(network.inputShape)} -> ${outputs}, ${network.paramCount.toLocaleString('en-US')} parameters."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...before,
    `        self.layers = ${sequential(body, '        ', labels)}`,
    ...after,
    ...(heads?.names.map((name) => `        self.${name} = nn.Linear(${features}, ${heads.units})`) ?? []),
    '        init_like_tensorflow(self)',
    '',
    ...(heads
      ? [
          '    def forward(self, x):',
          '        features = self.layers(x)',
          `        return ${heads.names.map((name) => `self.${name}(features)`).join(', ')}`,
        ]
      : FORWARD[labels]),
  ].join('\n');
}
