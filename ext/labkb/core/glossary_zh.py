"""Chinese search terms for entries, translated by this knowledge base from their English words.

The entries' content is English (as their sources are), so a reader typing 长上下文 or 优化器
would find nothing. Each phrase below is a common term of the field with its usual Chinese
rendering; an entry whose tags, name, summary or description contain the phrase gets the Chinese term as a
search keyword. Entry pages list these keywords marked as the knowledge base's translation, never as
a source's wording (a source's own Chinese tags, such as MOSS-VL's, stay tags).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: English phrase (lower case, whole words) -> Chinese term.
GLOSSARY: dict[str, str] = {
    "large language model": "大语言模型", "llm": "大语言模型", "language model": "语言模型",
    "multimodal": "多模态", "multi-modal": "多模态", "omni-modal": "全模态",
    "vision-language-action": "视觉语言动作", "vision-language": "视觉语言", "visual": "视觉",
    "vision transformer": "视觉Transformer", "video question answering": "视频问答",
    "question answering": "问答", "visual question answering": "视觉问答", "video": "视频",
    "image generation": "图像生成",
    "image editing": "图像编辑", "image synthesis": "图像合成", "text-to-image": "文生图",
    "3d generation": "三维生成", "text-to-3d": "文本生成三维", "image-to-3d": "图像生成三维",
    "diffusion": "扩散模型", "speech": "语音", "audio": "音频", "acoustic": "声学",
    "speech generation": "语音生成", "embodied": "具身智能", "agents": "智能体", "agent": "智能体",
    "multi-agent": "多智能体", "planning": "规划", "tools": "工具", "tool use": "工具调用",
    "tool-augmented": "工具增强", "simulation environment": "仿真环境", "reasoning": "推理",
    "reinforcement learning": "强化学习", "rlhf": "人类反馈强化学习", "long-context": "长上下文",
    "long context": "长上下文", "context length": "上下文长度", "optimizer": "优化器",
    "optimization theory": "优化理论", "generalization": "泛化", "fine-tuning": "微调",
    "instruction tuning": "指令微调", "pretraining": "预训练", "pre-training": "预训练",
    "pretrained": "预训练", "post-training": "后训练", "distributed training": "分布式训练",
    "training framework": "训练框架", "framework": "框架", "inference acceleration": "推理加速",
    "speculative decoding": "投机解码", "inference": "推理服务", "mixture-of-experts": "混合专家",
    "sparse attention": "稀疏注意力", "pruning": "剪枝", "knowledge distillation": "知识蒸馏",
    "model compression": "模型压缩", "network architecture search": "神经网络架构搜索",
    "network architecture": "网络架构", "self-supervised learning": "自监督学习",
    "contrastive learning": "对比学习", "representation learning": "表示学习",
    "clustering": "聚类", "benchmark": "基准评测", "robustness": "鲁棒性", "code": "代码",
    "code generation": "代码生成", "mathematics": "数学", "open-source": "开源",
    "conversational": "对话", "dialogue": "对话", "chat model": "对话模型", "toolkit": "工具包",
    "nlp": "自然语言处理", "natural language inference": "自然语言推理",
    "multilingual": "多语言", "open weights": "开放权重", "data generation": "数据生成",
    "multi-task learning": "多任务学习", "generalist model": "通用模型", "grounding": "视觉定位",
    "interpretability": "可解释性", "search": "搜索", "retrieval": "检索", "memory": "显存",
    "zero-shot": "零样本", "scaling laws": "缩放定律", "thinking mode": "思考模式",
}

_PATTERNS = [(en.casefold(), re.compile(rf"(?<![\w-]){re.escape(en)}(?![\w-])", re.IGNORECASE),
              zh) for en, zh in sorted(GLOSSARY.items(), key=lambda kv: -len(kv[0]))]
_OTHER_CASES = re.compile("[\u0130\u0131\u017f\u212a]")


def chinese_keywords(texts: Iterable[str]) -> list[str]:
    """The Chinese terms of the glossary phrases found in ``texts``, in glossary order of
    length (longest phrases first), each once. A phrase is looked for as a word only where its
    letters are in the text at all (a search for a substring is some 20 times quicker than the
    pattern, and most phrases are in no entry)."""
    joined = "\n".join(texts)
    # İ ı ſ K: letters re matches to ASCII ones when ignoring case but casefold() does not fold
    # to them, so with one of them every pattern is tried
    folded = None if _OTHER_CASES.search(joined) else joined.casefold()
    found: dict[str, None] = {}
    for phrase, pattern, zh in _PATTERNS:
        if (folded is None or phrase in folded) and pattern.search(joined):
            found.setdefault(zh, None)
    return list(found)


def entry_keywords(data: Mapping[str, Any]) -> list[str]:
    """An entry's Chinese search terms, from its English tags, name and summary; its own
    Chinese tags and name are not repeated."""
    own = {str(t) for t in data.get("tags", [])} | {str(data.get("name_zh") or "")}
    texts = [*(str(t) for t in data.get("tags", [])), str(data.get("name", "")),
             str(data.get("summary", "")), str(data.get("description", ""))]
    return [k for k in chinese_keywords(texts) if k not in own]
