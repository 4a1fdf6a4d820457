/**
 * The causal-LM engine shared by sampler, trainer and evaluator: the Qwen2 / Llama decoder over
 * named parameter arrays ({@link org.o1pruner.model.CausalLM}), its configuration
 * ({@link org.o1pruner.model.ModelConfig}), Hugging Face checkpoints with sha256 manifests
 * ({@link org.o1pruner.model.SafeTensors}, {@link org.o1pruner.model.Manifest}), tokenizer and
 * prompt format ({@link org.o1pruner.model.Tokenizer}, {@link org.o1pruner.model.PromptFormat}),
 * and teacher-forced scoring ({@link org.o1pruner.model.Scorer}).
 *
 * <p>Facts of the DJL 0.36 PyTorch engine this package works around: it has no bfloat16 arrays
 * (bfloat16 checkpoints are converted in Java, exactly, to float32), and {@code toType} cuts the
 * autograd graph (differentiable paths never change an array's type).
 */
package org.o1pruner.model;
