// Which GPUs the machine has, from files only (no processes, nothing loaded), so the GPU check can
// tell "no GPU here" from "a GPU that no backend reaches". Linux: the DRM devices' PCI vendor ids
// and the NVIDIA driver's own list; macOS: every supported Mac has a Metal GPU; Windows: unknown
// here beyond what the CUDA probe finds.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type GpuVendor = 'nvidia' | 'amd' | 'intel' | 'apple' | 'other';

export interface GpuDevice {
  readonly vendor: GpuVendor;
  /** A model name when the driver tells it, else the vendor and PCI id. */
  readonly name: string;
}

const pciVendors: Record<string, GpuVendor> = { '0x10de': 'nvidia', '0x1002': 'amd', '0x8086': 'intel' };

/** `nvidiaNames`: model names the NVIDIA driver reported (cudaProbe), which beat PCI ids. */
export function findGpus(
  platform: NodeJS.Platform = process.platform,
  nvidiaNames: readonly string[] = [],
  drmRoot = '/sys/class/drm',
): GpuDevice[] {
  if (platform === 'darwin') return [{ vendor: 'apple', name: 'Apple/Metal GPU' }];
  const gpus: GpuDevice[] = nvidiaNames.map((name) => ({ vendor: 'nvidia', name }));
  if (platform !== 'linux') return gpus;
  for (const card of listCards(drmRoot)) {
    const vendorId = readText(path.join(drmRoot, card, 'device', 'vendor'));
    if (vendorId === null) continue;
    const vendor = pciVendors[vendorId] ?? 'other';
    if (vendor === 'nvidia' && nvidiaNames.length) continue;
    const device = readText(path.join(drmRoot, card, 'device', 'device')) ?? '?';
    gpus.push({
      vendor,
      name: `${vendor === 'other' ? 'GPU' : vendor.toUpperCase()} (PCI ${vendorId}:${device})`,
    });
  }
  return gpus;
}

function listCards(root: string): string[] {
  try {
    return fs.readdirSync(root).filter((name) => /^card\d+$/.test(name));
  } catch {
    return [];
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
