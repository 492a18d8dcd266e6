"""Prints the PyTorch build and thread count, for the speed report."""
import torch

print(f"torch: {torch.__version__}, {torch.get_num_threads()} threads")
