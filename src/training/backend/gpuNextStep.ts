// The one thing to do next when the machine has a GPU but no GPU backend reaches it, for this OS
// and GPU vendor. WebGPU is the first suggestion everywhere: it installs from npm with prebuilt
// binaries and needs only the GPU's ordinary driver, where tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1.
import type { GpuDevice } from './gpuDevices';

/** What the report knows about one backend (a subset of BackendAvailability). */
export interface BackendVerdict {
  readonly backend: 'gpu' | 'webgpu' | 'node';
  readonly installed: boolean;
  /** True once it started on a hardware GPU. */
  readonly usesGpu: boolean;
  /** WebGPU: whether an adapter was found, and whether only a software one; absent when not tried. */
  readonly adapter?: 'hardware' | 'software' | 'none';
}

export function gpuNextStep(
  platform: NodeJS.Platform,
  gpus: readonly GpuDevice[],
  verdicts: readonly BackendVerdict[],
  tfjsVersion: string,
): string | null {
  if (!gpus.length || verdicts.some((v) => v.usesGpu)) return null;
  const webgpu = verdicts.find((v) => v.backend === 'webgpu');
  const vendor = gpus[0].vendor;
  const install = `npm install webgpu @tensorflow/tfjs-backend-webgpu@${tfjsVersion}`;
  const where = "in GAN Studio's folder or the folder named by the `gan.training.modulePath` setting";
  if (!webgpu?.installed) return `${install} ${where}; ${driverStep(platform, vendor)}`;
  if (webgpu.adapter === undefined) return 'run `gan gpu --load` to see whether WebGPU reaches the GPU.';
  if (webgpu.adapter === 'none' || webgpu.adapter === 'software') return driverStep(platform, vendor);
  return `WebGPU is installed but did not start on the GPU (see [webgpu] above); ${driverStep(platform, vendor)}`;
}

function driverStep(platform: NodeJS.Platform, vendor: GpuDevice['vendor']): string {
  switch (platform) {
    case 'darwin':
      return 'WebGPU uses Metal, which needs macOS 13 or newer: update macOS.';
    case 'win32':
      return "WebGPU uses Direct3D 12: install the GPU vendor's current driver.";
    case 'linux':
      if (vendor === 'nvidia')
        return (
          "WebGPU needs NVIDIA's Vulkan driver: install the proprietary driver with its Vulkan part " +
          '(Debian: `apt install nvidia-driver nvidia-vulkan-icd`; Ubuntu: `apt install nvidia-driver-<version>`), ' +
          'then `vulkaninfo --summary` must list the GPU. (Or CUDA: @tensorflow/tfjs-node-gpu with CUDA 11.2 and cuDNN 8.1.)'
        );
      return (
        'WebGPU needs a Vulkan driver: `apt install mesa-vulkan-drivers libvulkan1` ' +
        '(Mesa 23 or newer; on Debian 12 from bookworm-backports), then `vulkaninfo --summary` must list the GPU.'
      );
    default:
      return 'WebGPU needs a Vulkan, Metal or Direct3D 12 driver for this GPU.';
  }
}
