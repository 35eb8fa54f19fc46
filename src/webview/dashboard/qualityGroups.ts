// The dashboard's "Quality" charts: the `evaluate` metrics (eval/… keys) grouped by what they
// measure. Distances carry the features they were measured in (the run's eval.features setting),
// since they are not Inception FIDs.
import { CLASS_PREFIX } from './quality';

export interface QualityRule {
  readonly id: string;
  readonly title: string;
  readonly matches: (metric: string) => boolean;
  readonly unit?: string;
}

const among =
  (...names: string[]) =>
  (metric: string): boolean =>
    names.includes(metric);

export const QUALITY_RULES: readonly QualityRule[] = [
  { id: 'quality-fid', title: 'Quality: FID', unit: 'FID (lower is better)', matches: among('eval/fid') },
  { id: 'quality-kid', title: 'Quality: KID', unit: 'KID (lower is better)', matches: among('eval/kid') },
  {
    id: 'quality-pr',
    title: 'Quality: precision, recall, density, coverage',
    unit: 'fraction',
    matches: among('eval/precision', 'eval/recall', 'eval/density', 'eval/coverage'),
  },
  { id: 'quality-nll', title: 'Quality: test NLL (nats per image)', matches: among('eval/nll') },
  { id: 'quality-bpd', title: 'Quality: test bits per dimension', matches: among('eval/bpd') },
  {
    id: 'quality-classes',
    title: 'Quality: class entropy (samples vs data)',
    unit: 'nats',
    matches: among('eval/class_entropy', 'eval/data_class_entropy'),
  },
  {
    id: 'quality-accuracy',
    title: 'Quality: accuracies',
    unit: 'fraction',
    matches: among(
      'eval/d_acc',
      'eval/d_acc_real',
      'eval/d_acc_fake',
      'eval/cond_acc',
      'eval/cond_acc_chance',
      'eval/cond_acc_real',
      'eval/recon_acc',
      'eval/domain_acc',
      'eval/domain_acc_ba',
    ),
  },
  {
    id: 'quality-cycle',
    title: 'Quality: round-trip PSNR in dB (a→b→a, b→a→b)',
    matches: among('eval/cycle_psnr', 'eval/cycle_psnr_ba'),
  },
  {
    id: 'quality-psnr',
    title: 'Quality: PSNR in dB (model vs bicubic upscaling)',
    matches: among('eval/psnr', 'eval/psnr_bicubic'),
  },
  {
    id: 'quality-ssim',
    title: 'Quality: SSIM (model vs bicubic upscaling)',
    matches: among('eval/ssim', 'eval/ssim_bicubic'),
  },
  {
    id: 'quality-temporal',
    title:
      'Quality: clips keeping one class across their frames, frames read clearly (generated vs held-out)',
    unit: 'fraction',
    matches: among(
      'eval/label_consistency',
      'eval/label_consistency_real',
      'eval/legible_frames',
      'eval/legible_frames_real',
    ),
  },
  {
    id: 'quality-motion',
    title: 'Quality: motion per frame, ink step and its change (generated vs held-out)',
    unit: 'pixels',
    matches: among(
      'eval/motion_step',
      'eval/motion_step_real',
      'eval/motion_accel',
      'eval/motion_accel_real',
    ),
  },
];

/** Shown elsewhere (the class histogram) or only bookkeeping. */
export function isHiddenMetric(metric: string): boolean {
  return metric.startsWith(CLASS_PREFIX) || metric === 'eval/kid_std' || metric === 'eval/seconds';
}

/** "Quality: FID (MNIST classifier features)" for distances, given the runs' feature labels. */
export function qualityTitle(groupId: string, title: string, features: readonly string[]): string {
  if (groupId !== 'quality-fid' && groupId !== 'quality-kid' && groupId !== 'quality-pr') return title;
  const distinct = [...new Set(features)];
  return distinct.length ? `${title} (${distinct.join(', ')} features)` : title;
}
