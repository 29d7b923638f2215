"""Chicago taxi tips with PyTorch: will the passenger tip more than 20% of the fare?

The preprocessing lives in the module (missing values filled with the training means, then
standardised), so the exported ONNX graph takes raw columns and serving applies exactly what
training did. The pipeline computes `paid_cash` (features.derive) for the data and for every
request alike; the graph takes it with the raw numbers as one input, `features`.

Run by the pipeline (taxi-torch.pipeline.yaml) as its train step; `mlops` is on PYTHONPATH there.
"""
import csv
import json
import math
import os

import torch

import mlops

FEATURES = [
    "paid_cash", "fare", "trip_miles", "trip_seconds", "trip_start_hour", "trip_start_day", "trip_start_month",
    "pickup_latitude", "pickup_longitude", "dropoff_latitude", "dropoff_longitude",
    "pickup_community_area", "dropoff_community_area",
]
EPOCHS = int(os.environ.get("EPOCHS", "8"))
LEARNING_RATE = 0.01


def number(row, column):
    if column == "paid_cash":  # as features.derive computes it: payment_type == "Cash"
        return 1.0 if row["payment_type"] == "Cash" else 0.0
    return float(row[column]) if row[column] != "" else math.nan


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    x = torch.tensor([[number(r, c) for c in FEATURES] for r in rows], dtype=torch.float32)
    y = torch.tensor([[1.0 if r["tips"] and r["fare"] and float(r["tips"]) > 0.2 * float(r["fare"]) else 0.0] for r in rows])
    return x, y


class TipClassifier(torch.nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.net = torch.nn.Sequential(
            torch.nn.Linear(len(FEATURES), 32), torch.nn.ReLU(), torch.nn.Linear(32, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1)
        )

    def forward(self, features):
        filled = torch.where(torch.isnan(features), self.mean.expand_as(features), features)
        return torch.sigmoid(self.net((filled - self.mean) / self.std))


def main():
    torch.manual_seed(int(os.environ.get("MLOPS_SEED", "7")))
    x, y = read(os.environ["MLOPS_INPUT_TRAIN"])
    x_eval, y_eval = read(os.environ["MLOPS_INPUT_EVAL"])
    present = ~torch.isnan(x)
    mean = torch.nanmean(x, dim=0)
    std = (torch.where(present, x - mean, torch.zeros_like(x)).pow(2).sum(0) / present.sum(0)).sqrt().clamp(min=1e-6)
    model = TipClassifier(mean, std)
    mlops.log_params({"epochs": EPOCHS, "hidden": "32,16", "optimizer": "adam", "learning_rate": LEARNING_RATE})
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_fn = torch.nn.BCELoss()
    for epoch in range(1, EPOCHS + 1):
        model.train()
        order = torch.randperm(len(x))
        for start in range(0, len(x), 256):
            batch = order[start:start + 256]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            p = model(x_eval)
            mlops.log_metrics({
                "loss": loss_fn(model(x), y),
                "val_loss": loss_fn(p, y_eval),
                "val_accuracy": ((p >= 0.5).float() == y_eval).float().mean(),
            }, step=epoch)

    os.makedirs("out", exist_ok=True)
    mlops.log_torch_model(model, x[:2], columns=FEATURES, path="out/model.onnx")
    # PyTorch's own P(big_tipper) for each eval row: what the exported model must reproduce.
    with torch.no_grad(), open(os.environ["MLOPS_OUTPUT_EVAL_PREDICTIONS"], "w") as f:
        json.dump(model(x_eval).squeeze(1).tolist(), f)


if __name__ == "__main__":
    main()
