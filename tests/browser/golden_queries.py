"""The golden query set: what readers type, and the page each of them wants.

Half Chinese, half English: names, topics, paraphrases, words from the middle of titles, prefixes
typed halfway, and queries without spaces. The expected page is the one a reader typing the query
is looking for; where several pages would do (an area and its entries), the query names enough to
tell them apart. The Chinese queries find English pages through the Chinese names of the areas and
kinds, the entries' own Chinese tags (MOSS-VL's) and the Chinese search terms the knowledge base
translates from the entries' English words (labkb.core.glossary_zh).

Paraphrases use words the pages state: "masked diffusion transformer" (MDT) or "full-parameter
fine-tuning with limited memory" (LOMO) are what those works are known for, but no seed of this
knowledge base says so, so no page can be found by them.
"""

from __future__ import annotations

#: (query, expected page: a docname), Chinese first.
CHINESE: list[tuple[str, str]] = [
    # the research areas by their Chinese names, whole and in part
    ("具身智能", "research/embodied-intelligence"),
    ("多模态大模型", "research/multimodal-large-models"),
    ("AI 基础设施", "research/ai-infrastructure"),
    ("基础设施", "research/ai-infrastructure"),
    ("效率优化", "research/efficiency-optimization"),
    ("学习框架", "research/learning-frameworks"),
    ("机制可解释性", "research/mechanistic-interpretability"),
    ("可解释性", "research/mechanistic-interpretability"),
    ("网络架构设计", "research/network-architecture-design"),
    ("架构设计", "research/network-architecture-design"),
    ("新架构", "research/new-architectures"),
    ("大语言模型的预训练与后训练", "research/pretraining-post-training"),
    ("预训练与后训练", "research/pretraining-post-training"),
    ("强化学习与深度推理", "research/reinforcement-learning-reasoning"),
    ("深度推理", "research/reinforcement-learning-reasoning"),
    ("工具与智能体", "research/tools-and-agents"),
    ("研究方向", "research/index"),
    # the kinds
    ("模型", "models/index"),
    ("项目", "projects/index"),
    ("人物", "people/index"),
    ("论文", "publications"),
    # MOSS-VL's own Chinese tags (the seed's), whole and from the middle, without spaces
    ("多模态模型", "models/moss-vl"),
    ("视觉理解", "models/moss-vl"),
    ("图像理解", "models/moss-vl"),
    ("开源AI", "models/moss-vl"),
    ("多模态AI", "models/moss-vl"),
    ("视觉问答", "models/moss-vl"),
    # topics, through the translated search terms
    ("长上下文建模", "research/new-architectures"),
    ("投机解码", "projects/gto"),
    ("代码生成", "models/qwen2-5-coder"),
    ("仿真环境", "projects/vehicleworld"),
    ("分布式训练", "projects/c4"),
    ("自然语言推理", "models/tbcnn-pair"),
    ("图像编辑", "models/qwen-image-2-0"),
    ("思考模式", "models/qwen3"),
    ("全模态", "models/qwen3-omni"),
    ("视频问答", "projects/covgt"),
    ("神经网络架构搜索", "projects/pr-darts"),
    ("知识蒸馏剪枝", "projects/slimqwen"),
    ("对比学习聚类", "projects/pcl"),
    ("优化理论泛化", "projects/sgd-adam-generalization"),
    ("鲁棒性基准评测", "projects/sage"),
    ("视觉语言动作", "research/embodied-intelligence"),
    ("稀疏注意力长上下文", "models/qwen2-5-1m"),
    # names with a Chinese word
    ("Adan 优化器", "projects/adan"),
    ("LOMO 优化器", "projects/lomo"),
    ("Qwen3 模型", "models/qwen3"),
    ("SpeechGPT 语音", "projects/speechgpt"),
    ("Rui Men 论文", "people/rui-men"),
    ("CoLLiE 微调框架", "projects/collie"),
    ("Gamba 三维生成", "projects/gamba"),
    ("GRIFFIN 推理加速", "projects/griffin"),
]

ENGLISH: list[tuple[str, str]] = [
    # names, as typed (case, prefixes typed halfway)
    ("MOSS-VL", "models/moss-vl"),
    ("SpeechGPT", "projects/speechgpt"),
    ("speechtok", "projects/speechtokenizer"),
    ("Qwen2.5-Coder", "models/qwen2-5-coder"),
    ("collie", "projects/collie"),
    ("metaform", "projects/metaformer"),
    ("AdaLomo", "projects/adalomo"),
    ("Chinese CLIP", "models/chinese-clip"),
    ("Rui Men", "people/rui-men"),
    ("Pan Zhou", "people/pan-zhou"),
    ("Qwen3-Omni", "models/qwen3-omni"),
    ("VLA-bench", "projects/vla-bench"),
    ("LongLLaDA", "projects/longllada"),
    ("OFASys", "projects/ofasys"),
    ("InceptionNeXt", "projects/inceptionnext"),
    ("unifiedtool", "projects/unifiedtoolhub"),
    ("visuothink", "projects/visuothink"),
    # the areas and listing pages
    ("embodied intelligence", "research/embodied-intelligence"),
    ("mechanistic interpretability", "research/mechanistic-interpretability"),
    ("network architecture design", "research/network-architecture-design"),
    ("reinforcement learning deep reasoning", "research/reinforcement-learning-reasoning"),
    ("tools and agents", "research/tools-and-agents"),
    ("efficiency optimization", "research/efficiency-optimization"),
    ("AI infrastructure", "research/ai-infrastructure"),
    ("multimodal large models", "research/multimodal-large-models"),
    ("new architectures", "research/new-architectures"),
    ("publications", "publications"),
    # paraphrases: what a reader remembers of a work
    ("LOMO optimizer", "projects/lomo"),
    ("learning speed of DiT", "projects/mdt"),
    ("VLA bench embodied", "projects/vla-bench"),
    ("speculative decoding", "projects/gto"),
    ("1 million tokens context", "models/qwen2-5-1m"),
    ("pruning mixture of experts distillation", "projects/slimqwen"),
    ("image editing text rendering", "models/qwen-image-2-0"),
    ("tree-based convolution entailment", "models/tbcnn-pair"),
    ("GPU cluster collective communication", "projects/c4"),
    ("monte carlo tree search planning", "projects/cots"),
    ("robustness benchmarks generation", "projects/sage"),
    ("clustering contrastive learning", "projects/pcl"),
    ("earliest open-source conversational LLM", "projects/moss"),
    ("code-specific model series", "models/qwen2-5-coder"),
    ("dynamic resolution video", "models/qwen2-vl"),
    ("network architecture search", "projects/pr-darts"),
    ("compound LLM training workloads", "projects/maestro"),
    ("real-world simulation environment", "projects/vehicleworld"),
    # words from the middle of titles
    ("visual understanding model", "models/moss-vl"),
    ("expert prototyping", "models/m6-t"),
    ("Thinker-Talker", "models/qwen3-omni"),
    ("Mega-transformer", "models/m6"),
    ("Task-Agnostic Modality-Agnostic", "models/ofa"),
    ("ODE sampling text-to-3D", "projects/consistent3d"),
    ("speech-language models", "research/multimodal-large-models"),
]

QUERIES = CHINESE + ENGLISH
