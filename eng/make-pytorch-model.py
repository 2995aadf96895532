#!/usr/bin/env python3
"""Exports a tiny allocator from real PyTorch that follows docs/model-contract.md.

The net is permutation-equivariant over assets: one Linear layer scores each asset from its features
(plus a learned weight on its previous weight), and a softmax over the assets axis turns scores into
long-only weights that sum to 1. Exported with dynamic batch/assets axes, opset 17, and the contract's
metadata_props added with the onnx package. The caller writes model.json (the C# ModelPackage/ModelImport).

usage: make-pytorch-model.py OUT.onnx FEATURE_SPEC.json [--seed N]
"""
import argparse
import json
import sys

import onnx
import torch


class Allocator(torch.nn.Module):
    def __init__(self, features: int):
        super().__init__()
        self.score = torch.nn.Linear(features, 1)
        self.prev_scale = torch.nn.Parameter(torch.tensor(0.5))

    def forward(self, features, prev_weights):
        # features [batch, assets, features] -> scores [batch, assets]
        z = self.score(features).squeeze(-1) + self.prev_scale * prev_weights
        return torch.softmax(z, dim=1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("feature_spec")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with open(args.feature_spec, encoding="utf-8") as f:
        spec_text = f.read()
    feature_count = len(json.loads(spec_text)["features"])

    torch.manual_seed(args.seed)
    model = Allocator(feature_count).eval()
    features = torch.randn(2, 4, feature_count)
    prev = torch.full((2, 4), 0.25)
    torch.onnx.export(
        model,
        (features, prev),
        args.out,
        input_names=["features", "prev_weights"],
        output_names=["weights"],
        dynamic_axes={
            "features": {0: "batch", 1: "assets"},
            "prev_weights": {0: "batch", 1: "assets"},
            "weights": {0: "batch", 1: "assets"},
        },
        opset_version=17,
    )

    proto = onnx.load(args.out)
    metadata = {
        "predictive.feature_spec": spec_text,
        "predictive.training_range": "2021-01-01T00:00:00Z/2024-01-01T00:00:00Z",
        "predictive.validation_metrics": json.dumps({"sharpe": 0.0}),
        "predictive.seed": str(args.seed),
        "predictive.producer_version": f"pytorch-{torch.__version__}",
    }
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key = key
        entry.value = value
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, args.out)

    # The reference output the test compares ONNX Runtime against.
    with torch.no_grad():
        probe = torch.arange(3 * feature_count, dtype=torch.float32).reshape(1, 3, feature_count) / 10.0
        expected = model(probe, torch.tensor([[0.2, 0.3, 0.5]]))
    print(json.dumps({"probe_weights": expected[0].tolist()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
