"""The AD-GAN generator G(E(x, image), mask) in plain PyTorch, timed on one whole image.

The same network as the library's ContentEncoder and StyleDecoder (the authors' architecture): reflect-pad 3,
conv 7x7, two stride-2 3x3 convolutions, 4 residual blocks in the encoder and 4 in the decoder, two stride-2
3x3 transposed convolutions, reflect-pad 3, conv 7x7, every normalisation an AdaIN with a fixed style vector.
Weights are random: the time of a forward pass does not depend on them. `adgan bench infer` runs this script
to measure the reference rate on the same CPU, at the same image size and thread count, in the same run.

Prints one JSON line: {"seconds": best, "all": [...], "megapixels_per_second": ..., "precision": ..., "torch": ...}.
"""
import argparse
import json
import time

import torch
import torch.nn.functional as F
from torch import nn


class AdaIN(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.channels = channels

    def forward(self, x, style):
        b, w = style[:, : self.channels], style[:, self.channels:]
        return F.instance_norm(x, eps=1e-5) * (1 + w[:, :, None, None]) + b[:, :, None, None]


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3)
        self.norm1 = AdaIN(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3)
        self.norm2 = AdaIN(channels)

    def forward(self, x, styles):
        h = F.relu(self.norm1(self.conv1(F.pad(x, (1, 1, 1, 1), mode="reflect")), next(styles)))
        h = self.norm2(self.conv2(F.pad(h, (1, 1, 1, 1), mode="reflect")), next(styles))
        return h + x


class Generator(nn.Module):
    """Encoder (image style) then decoder (mask style); returns the logits."""

    def __init__(self, ngf):
        super().__init__()
        self.encoder_in = nn.Conv2d(1, ngf, 7)
        self.down1 = nn.Conv2d(ngf, 2 * ngf, 3, 2, 1)
        self.down2 = nn.Conv2d(2 * ngf, 4 * ngf, 3, 2, 1)
        self.encoder_blocks = nn.ModuleList(ResidualBlock(4 * ngf) for _ in range(4))
        self.decoder_blocks = nn.ModuleList(ResidualBlock(4 * ngf) for _ in range(4))
        self.up1 = nn.ConvTranspose2d(4 * ngf, 2 * ngf, 3, 2, 1, 1)
        self.up2 = nn.ConvTranspose2d(2 * ngf, ngf, 3, 2, 1, 1)
        self.decoder_out = nn.Conv2d(ngf, 1, 7)
        widths = [ngf, 2 * ngf, 4 * ngf] + [4 * ngf] * 8 + [4 * ngf] * 8 + [2 * ngf, ngf]
        self.styles = [torch.randn(1, 2 * c) * 0.1 for c in widths]
        self.norms = {c: AdaIN(c) for c in set(widths)}

    def forward(self, x):
        styles = iter(self.styles)
        relu, norms = F.relu, self.norms
        h = relu(norms[self.encoder_in.out_channels](self.encoder_in(F.pad(x, (3, 3, 3, 3), mode="reflect")), next(styles)))
        h = relu(norms[self.down1.out_channels](self.down1(h), next(styles)))
        h = relu(norms[self.down2.out_channels](self.down2(h), next(styles)))
        for block in self.encoder_blocks:
            h = block(h, styles)
        for block in self.decoder_blocks:
            h = block(h, styles)
        h = relu(norms[self.up1.out_channels](self.up1(h), next(styles)))
        h = relu(norms[self.up2.out_channels](self.up2(h), next(styles)))
        return self.decoder_out(F.pad(h, (3, 3, 3, 3), mode="reflect"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2048, help="side of the square image (multiple of 4)")
    parser.add_argument("--ngf", type=int, default=16, help="base channel count")
    parser.add_argument("--threads", type=int, default=2, help="intra-op threads")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs after one warm-up run")
    parser.add_argument("--precision", choices=["float32", "bf16"], default="float32",
                        help="bf16: convolutions under CPU autocast to bfloat16 (only where the CPU has native bfloat16)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(5)
    network = Generator(args.ngf).eval()
    x = torch.rand(1, 1, args.size, args.size) * 2 - 1
    times = []
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
        for run in range(args.repeats + 1):
            start = time.perf_counter()
            y = network(x)
            elapsed = time.perf_counter() - start
            if run > 0:
                times.append(elapsed)
            del y
    best = min(times)
    print(json.dumps({
        "seconds": best,
        "all": times,
        "megapixels_per_second": args.size * args.size / 1e6 / best,
        "precision": args.precision,
        "threads": args.threads,
        "size": args.size,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
