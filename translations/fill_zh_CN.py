#!/usr/bin/env python3
"""Fill translations/llmwb_zh_CN.ts from the dictionary below.

Usage (after `cmake --build build/dev --target update_translations`):

    python3 translations/fill_zh_CN.py [path/to/llmwb_zh_CN.ts]

Every message whose source text is in ZH (or in ZH_BY_CONTEXT for its context) gets that
translation and loses type="unfinished". Messages the dictionary lacks keep their current
translation if it is finished; otherwise they are listed on stdout (and the exit status is 1)
so that they can be added here. The file is written back in lupdate's own layout.

Conventions: placeholders (%1, %n) kept; "&File" -> "文件(&F)"; '…' kept for dialogs;
product name "LLM Workbench" and format names (jsonl, alpaca, sha256, ...) stay in English.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

ZH = {
    # --- main ---------------------------------------------------------------------------
    "LLM Workbench": "LLM Workbench",
    "Workspace folder.": "工作区文件夹。",
    "Quit after N milliseconds (for smoke tests).": "N 毫秒后退出（用于冒烟测试）。",
    "Cannot open workspace": "无法打开工作区",

    # --- wbui::DatasetPreviewModel --------------------------------------------------------
    "Row": "行",
    "ID": "ID",
    "Problem / question": "题目 / 问题",
    "Options": "选项",
    "Answer": "答案",
    "Instruction": "指令",
    "Input": "输入",
    "Output": "输出",
    "System": "系统",
    "Turns": "轮数",
    "First user message": "首条用户消息",
    "Last assistant message": "末条助手消息",
    "%n question(s)": "%n 个问题",
    "Q%1": "Q%1",
    "(none)": "（无）",

    # --- wbui::DatasetStatsView -----------------------------------------------------------
    "No dataset selected.": "未选择数据集。",
    "Format": "格式",
    "Rows": "行数",
    "Sub-questions": "子问题",
    "With answers": "含答案",
    "Messages (%1)": "消息（%1）",
    "Field": "字段",
    "min": "最小值",
    "mean": "平均值",
    "median": "中位数",
    "p95": "p95",
    "max": "最大值",
    "Lengths in characters.": "长度以字符计。",
    "Answer letters": "答案字母分布",
    "%n option(s)": "%n 个选项",
    "Questions by number of options": "按选项数统计的问题数",
    "Mean length by field": "各字段平均长度",

    # --- wbui::DatasetsTab ----------------------------------------------------------------
    "Datasets": "数据集",
    "Import…": "导入…",
    "Import a JSONL, JSON or CSV file (or drop files on the window)":
        "导入 JSONL、JSON 或 CSV 文件（也可将文件拖放到窗口中）",
    "Split…": "划分…",
    "Make a deterministic train/eval split of this dataset":
        "将此数据集确定性地划分为训练集和评估集",
    "Delete": "删除",
    "Import the valid rows": "导入有效行",
    "Dismiss": "关闭",
    "◀ Previous": "◀ 上一页",
    "Next ▶": "下一页 ▶",
    "Severity": "严重程度",
    "Problem": "问题",
    "Preview": "预览",
    "Problems": "问题",
    "Statistics": "统计",
    "Source": "源文件",
    "No rows": "没有行",
    "Page %1 of %2 — records %3–%4 of %5": "第 %1 页，共 %2 页 — 第 %3–%4 条记录，共 %5 条",
    "Drop JSONL, JSON or CSV files here, or use Import. Logic-reasoning, Alpaca and chat "
    "(messages / ShareGPT) shapes are recognised.":
        "将 JSONL、JSON 或 CSV 文件拖放到此处，或使用“导入”。"
        "可识别逻辑推理、Alpaca 和对话（messages / ShareGPT）格式。",
    "%1 · %2 rows · %3 prompts · version %4 of %5 · %6 · sha256 %7":
        "%1 · %2 行 · %3 条提示词 · 版本 %4/%5 · %6 · sha256 %7",
    "Not imported: %1 rows, %2 valid, %3 with problems":
        "未导入：共 %1 行，%2 行有效，%3 行有问题",
    "error": "错误",
    "warning": "警告",
    "file": "文件",
    "Problems (%1)": "问题（%1）",
    "\n… (only the first 4 MB are shown)": "\n…（仅显示前 4 MB）",
    "Open dataset %1": "打开数据集 %1",
    "Cannot open dataset": "无法打开数据集",
    "Import datasets": "导入数据集",
    "Datasets (*.jsonl *.json *.csv *.ndjson);;All files (*)":
        "数据集 (*.jsonl *.json *.csv *.ndjson);;所有文件 (*)",
    "Import %1": "导入 %1",
    "Import of %1 failed: %2": "导入 %1 失败：%2",
    "Split %1": "划分 %1",
    "Eval fraction": "评估集比例",
    "Seed": "随机种子",
    "Logic problems are split by problem, never by question.":
        "逻辑题按题目整体划分，同一题目的问题不会被拆开。",
    "Created %1 (%2 rows) and %3 (%4 rows)": "已创建 %1（%2 行）和 %3（%4 行）",
    "Split failed": "划分失败",
    "Delete dataset": "删除数据集",
    "Delete %1 and all its versions from the workspace? The original file on disk is not touched.":
        "要从工作区删除 %1 及其所有版本吗？磁盘上的原始文件不会受影响。",
    "Delete failed": "删除失败",

    # --- wbui::JobsPanel ------------------------------------------------------------------
    "Job": "任务",
    "State": "状态",
    "Progress": "进度",
    "Elapsed / ETA": "已用时间 / 预计剩余",
    "Message": "消息",
    "queued": "排队中",
    "running": "运行中",
    "done": "已完成",
    "failed": "失败",
    "cancelled": "已取消",
    "interrupted": "已中断",
    "%1 s": "%1 秒",
    "%1 min %2 s": "%1 分 %2 秒",
    "%1 h %2 min": "%1 小时 %2 分",
    "%1 left": "剩余 %1",
    "Cancel": "取消",

    # --- wbui::MainWindow -----------------------------------------------------------------
    "LLM Workbench — %1": "LLM Workbench — %1",
    "Prompts": "提示词",
    "Jobs": "任务",
    "Workspace: %1": "工作区：%1",
    "No jobs running": "没有正在运行的任务",
    "%n job(s) running": "%n 个任务正在运行",
    "%n job(s) were interrupted when the app last stopped; see the Jobs panel.":
        "上次退出应用时有 %n 个任务被中断；请查看“任务”面板。",
    "&File": "文件(&F)",
    "&Import dataset…": "导入数据集(&I)…",
    "&New template…": "新建模板(&N)…",
    "&Quit": "退出(&Q)",
    "&View": "视图(&V)",
    "&Language": "语言(&L)",
    "System default": "跟随系统",
    "&Help": "帮助(&H)",
    "&About LLM Workbench": "关于 LLM Workbench(&A)",
    "About LLM Workbench": "关于 LLM Workbench",
    "<h3>LLM Workbench %1</h3><p>Prompt, RAG and fine-tuning experiments on open LLMs, "
    "offline.</p><p>%2</p><p>Workspace: %3</p>":
        "<h3>LLM Workbench %1</h3><p>在开源大语言模型上离线进行提示词、RAG 和微调实验。</p>"
        "<p>%2</p><p>工作区：%3</p>",
    "Prompt templates": "提示词模板",
    "%1 · %2 rows · %3 prompts": "%1 · %2 行 · %3 条提示词",
    "Nothing to import: no .jsonl, .json or .csv files found.":
        "没有可导入的内容：未找到 .jsonl、.json 或 .csv 文件。",
    "Unsaved templates": "未保存的模板",
    "These templates have unsaved changes: %1.\nSave the one open in the editor before quitting?":
        "以下模板有未保存的更改：%1。\n退出前是否保存编辑器中打开的模板？",
    "Jobs running": "任务正在运行",
    "%n job(s) are still running. Quit anyway? They will be cancelled.":
        "仍有 %n 个任务正在运行。仍要退出吗？这些任务将被取消。",

    # --- wbui::PromptsTab -----------------------------------------------------------------
    "New": "新建",
    "Duplicate": "复制",
    "Rename…": "重命名…",
    "Save version": "保存版本",
    "Save the text as a new version (Ctrl+S)": "将文本保存为新版本（Ctrl+S）",
    "<small>{{variable}} · {{#each options}}{{letter}}. {{this}}{{/each}} · {{#if x}}…{{else}}…{{/if}}"
    " · {{! comment}} · \\{{ for a literal {{</small>":
        "<small>{{variable}} · {{#each options}}{{letter}}. {{this}}{{/each}} · "
        "{{#if x}}…{{else}}…{{/if}} · {{! 注释}} · \\{{ 表示字面量 {{</small>",
    "record ": "记录 ",
    "question ": "问题 ",
    "Dataset": "数据集",
    "Restore this version into the editor": "将此版本恢复到编辑器",
    "History": "历史",
    "Load %1 for the preview": "加载 %1 用于预览",
    "Cannot open template": "无法打开模板",
    "Prompts — choose a template in the sidebar": "提示词 — 请在侧栏中选择模板",
    "Unsaved changes": "未保存的更改",
    "Variables: none": "变量：无",
    "Variables: %1": "变量：%1",
    "Import a dataset to preview.": "请导入数据集以进行预览。",
    "Loading %1…": "正在加载 %1…",
    "%1 · %2 characters · %3 lines · expected answer: %4":
        "%1 · %2 个字符 · %3 行 · 预期答案：%4",
    "Line %1, column %2: %3": "第 %1 行，第 %2 列：%3",
    "Version %1 — %2": "版本 %1 — %2",
    "Template has errors": "模板有错误",
    "%1\n\nSave it anyway?": "%1\n\n仍要保存吗？",
    "Save failed": "保存失败",
    "New template": "新建模板",
    "Name": "名称",
    "my-template": "my-template",
    "Cannot create template": "无法创建模板",
    "Duplicate failed": "复制失败",
    "Rename template": "重命名模板",
    "New name": "新名称",
    "Rename failed": "重命名失败",
    "Delete template": "删除模板",
    "Delete %1 and its whole history?": "要删除 %1 及其全部历史吗？",

    # --- wbui::MainWindow (models) --------------------------------------------------------
    "Models": "模型",
    "Playground": "试验场",
    "broken: %1": "已损坏：%1",

    # --- wbui::ModelHost ------------------------------------------------------------------
    "Load model %1": "加载模型 %1",
    "Loading was cancelled.": "加载已取消。",
    "Generate with %1": "使用 %1 生成",

    # --- wbui::ModelsTab ------------------------------------------------------------------
    "Local Hugging Face folders (config.json, *.safetensors, tokenizer). Drop a folder on the "
    "window or use Add.":
        "本地 Hugging Face 文件夹（config.json、*.safetensors、分词器）。"
        "可将文件夹拖放到窗口中，或使用“添加”。",
    "Add folder…": "添加文件夹…",
    "Check again": "重新检查",
    "Inspect the folder again after fixing it": "修复文件夹后重新检查",
    "Remove": "移除",
    "Forget this model; its folder is not touched": "从列表中移除此模型；其文件夹不受影响",
    "Architecture": "架构",
    "Parameters": "参数",
    "Weights": "权重",
    "Size": "大小",
    "Tokenizer": "分词器",
    "Chat template": "对话模板",
    "Status": "状态",
    "ready": "就绪",
    "broken": "已损坏",
    "<p>No models yet. Add a folder downloaded from Hugging Face, e.g. Qwen2-0.5B-Instruct or "
    "TinyLlama-1.1B-Chat.</p>":
        "<p>尚无模型。请添加从 Hugging Face 下载的文件夹，例如 Qwen2-0.5B-Instruct 或 "
        "TinyLlama-1.1B-Chat。</p>",
    "Layers / hidden / heads": "层数 / 隐藏维度 / 注意力头",
    "%1 layers, hidden %2, %3 heads (%4 key/value)":
        "%1 层，隐藏维度 %2，%3 个注意力头（%4 个键/值头）",
    "Vocabulary": "词表",
    "Context": "上下文",
    "%1 tokens, RoPE %2": "%1 个词元，RoPE %2",
    "missing": "缺失",
    "none": "无",
    "What is wrong": "问题所在",
    "Notes": "备注",
    "Cannot add model": "无法添加模型",
    "Choose a model folder": "选择模型文件夹",
    "Remove model": "移除模型",
    "Remove %1 from the workspace? The folder on disk is not touched.":
        "要从工作区移除 %1 吗？磁盘上的文件夹不会受影响。",

    # --- wbui::PlaygroundTab --------------------------------------------------------------
    "CPU": "CPU",
    "GPU %1 (CUDA)": "GPU %1 (CUDA)",
    "Compute precision. On a CPU fp32 is fastest and exact; on a GPU use bf16.":
        "计算精度。在 CPU 上 fp32 最快且精确；在 GPU 上请使用 bf16。",
    "int8 weights": "int8 权重",
    "Quantize linear layers to int8 at load: about half the memory of bf16":
        "加载时将线性层量化为 int8：内存占用约为 bf16 的一半",
    "Load": "加载",
    "No model loaded.": "未加载模型。",
    "Model": "模型",
    "System prompt (optional)": "系统提示词（可选）",
    "Use the model's chat template": "使用模型的对话模板",
    "Message (Ctrl+Enter sends)": "消息（Ctrl+Enter 发送）",
    "Send": "发送",
    "Stop": "停止",
    "New chat": "新对话",
    "0 is greedy (deterministic)": "0 表示贪心解码（确定性）",
    "0 turns top-k off": "0 表示关闭 top-k",
    "Sampling": "采样",
    "Temperature": "温度",
    "Top-p": "Top-p",
    "Top-k": "Top-k",
    "Repetition penalty": "重复惩罚",
    "Max new tokens": "最大新词元数",
    "–": "–",
    "Last reply": "上次回复",
    "Put the prompt in the message box": "将提示词填入消息框",
    "Prompt from a template": "从模板生成提示词",
    "Template": "模板",
    "Record": "记录",
    "Question": "问题",
    "Expected": "预期答案",
    "Could not load: %1": "无法加载：%1",
    "Add a model in the Models tab first.": "请先在“模型”选项卡中添加模型。",
    "Loading %1… (progress in the Jobs panel)": "正在加载 %1…（进度见“任务”面板）",
    "Loaded %1: %2%3": "已加载 %1：%2%3",
    " · no chat template: messages are sent as plain text": " · 无对话模板：消息将以纯文本发送",
    "You": "你",
    "<p style='color:#c0392b'>%1</p>": "<p style='color:#c0392b'>%1</p>",
    "%1 prompt tokens · %2 generated · %3 tokens/s · first token after %4 ms · stopped: %5":
        "提示词 %1 个词元 · 生成 %2 个 · %3 词元/秒 · 首个词元用时 %4 毫秒 · 停止原因：%5",
    "Cannot render the prompt": "无法渲染提示词",

    # --- wbui::PromptsTab (datasets) ------------------------------------------------------
    "%1 is a %2 dataset; its rows offer: %3": "%1 是 %2 数据集；其记录提供：%3",

    # --- wbui::TrainingTab ----------------------------------------------------------------
    # (with wbui::TrainingChart, wbui::TrainingForm, wbui::RunHistory, wbui::ExportDialog)
    "Weight of the exponential moving average drawn over the raw loss (0: none, 0.99: very smooth)":
        "叠加在原始损失上的指数移动平均的权重（0：不平滑，0.99：非常平滑）",
    "Log scale": "对数坐标",
    "Logarithmic loss axis: late, small improvements stay visible": "损失轴用对数刻度：后期的小幅改进也看得清",
    "Reset zoom": "重置缩放",
    "Drag a rectangle on a chart to zoom in; right click also resets": "在图上拖出矩形即可放大；右键也可重置",
    "Smoothing": "平滑",
    "loss": "损失",
    "loss (smoothed)": "损失（平滑）",
    "eval loss": "验证损失",
    "learning rate": "学习率",
    "step": "步数",
    "loss (log)": "损失（对数）",
    "gradient norm": "梯度范数",
    "%1 (eval)": "%1（验证）",
    "step %1": "第 %1 步",
    "loss %1": "损失 %1",
    "smoothed %1": "平滑 %1",
    "eval loss %1 (step %2)": "验证损失 %1（第 %2 步）",
    "learning rate %1": "学习率 %1",
    "gradient norm %1": "梯度范数 %1",
    "The base model (register folders in the Models tab)": "基础模型（在“模型”页登记文件夹）",
    "Training data: the latest version of a workspace dataset. Logic problems give one example per sub-question.":
        "训练数据：工作区数据集的最新版本。逻辑题的每个子问题生成一条样本。",
    "Hold out a fraction": "留出一部分",
    "Another dataset": "另一个数据集",
    "Where the eval loss is measured: problems held out of the training data (deterministic by seed), or a separate dataset":
        "验证损失的来源：从训练数据中留出的题目（由种子确定），或单独的数据集",
    "Share of the training problems kept aside for the eval loss (0: no eval curve)":
        "留作验证损失的训练题目比例（0：没有验证曲线）",
    "The dataset the eval loss is measured on": "用于计算验证损失的数据集",
    "The prompt template each record is rendered with; the model learns to answer what follows it":
        "渲染每条记录所用的提示模板；模型学习回答其后的内容",
    "Wrap in the model's chat template": "套用模型的对话模板",
    "Send the rendered prompt as a user turn and the answer as the assistant turn of the model's own chat template (only for models that have one)":
        "用模型自带的对话模板，把渲染后的提示作为用户轮、答案作为助手轮（仅限带对话模板的模型）",
    "Tokens per example; longer examples are cut and counted in the plan": "每条样本的词元数；更长的样本会被截断，并在计划中计数",
    "Pack examples": "样本打包",
    "Concatenate short examples into sequences of the maximum length: fewer padding tokens, faster epochs":
        "把短样本拼接成最大长度的序列：填充更少，每轮更快",
    "Train on the prompt too": "也在提示上训练",
    "Also compute the loss on the prompt tokens (default: only on the response)": "提示词元也计入损失（默认只计回答部分）",
    "Model and data": "模型与数据",
    "Eval": "验证",
    "Max length": "最大长度",
    "LoRA adapter": "LoRA 适配器",
    "Full fine-tuning": "全参数微调",
    "LoRA trains small low-rank matrices beside the frozen weights (fast, little memory, a PEFT adapter as result); full fine-tuning changes the weights themselves":
        "LoRA 在冻结的权重旁训练小的低秩矩阵（快、省内存，结果是 PEFT 适配器）；全参数微调直接修改权重本身",
    "LoRA": "LoRA",
    "All linear layers": "所有线性层",
    "Every projection of attention and MLP (q k v o gate up down)": "注意力与 MLP 的全部投影（q k v o gate up down）",
    "Rank r of the adapter matrices: capacity and size grow with it": "适配器矩阵的秩 r：容量和大小随之增长",
    "Scale of the adapter's update: alpha / r (alpha / √r with rsLoRA)": "适配器更新的缩放：alpha / r（rsLoRA 为 alpha / √r）",
    "Dropout on the adapter's input during training": "训练时对适配器输入施加的 dropout",
    "rsLoRA": "rsLoRA",
    "Rank-stabilised scaling alpha / √r: keeps high ranks learning": "秩稳定缩放 alpha / √r：让高秩也能持续学习",
    "Kaiming-uniform A": "Kaiming 均匀初始化 A",
    "Gaussian A": "高斯初始化 A",
    "How A starts; B starts at zero either way, so step 0 equals the base model": "A 的初始化方式；B 总是从零开始，因此第 0 步与基础模型相同",
    "Rank": "秩",
    "Alpha": "Alpha",
    "Dropout": "Dropout",
    "Init": "初始化",
    "Only the last N decoder layers (and the final norm) train; 0 trains every weight": "只训练最后 N 个解码层（以及最终归一化层）；0 表示训练全部权重",
    "all layers": "全部层",
    "Train last layers": "训练最后几层",
    "Method": "方法",
    "Peak learning rate of AdamW. LoRA: 1e-4 to 5e-4; full fine-tuning: around 1e-5":
        "AdamW 的峰值学习率。LoRA：1e-4 到 5e-4；全参数微调：约 1e-5",
    "cosine": "余弦",
    "linear": "线性",
    "constant": "恒定",
    "How the learning rate falls after the warmup": "预热之后学习率如何下降",
    "Steps over which the learning rate rises linearly from 0": "学习率从 0 线性上升所用的步数",
    "Passes over the training examples": "遍历训练样本的轮数",
    "Stops after this many optimizer steps (0: run all epochs)": "优化器走完这么多步后停止（0：跑完所有轮）",
    "no limit": "不限",
    "Examples per micro-batch. Lower it if memory runs out": "每个微批次的样本数。内存不够时调小",
    "Micro-batches per optimizer step: effective batch = batch × accumulation": "每个优化步的微批次数：有效批量 = 批量 × 累积",
    "Gradients are scaled down to this norm (0: no clipping)": "梯度会被缩放到不超过此范数（0：不裁剪）",
    "AdamW's decoupled weight decay": "AdamW 的解耦权重衰减",
    "Same seed, same settings: the same run (data order, init, dropout)": "相同的种子和设置得到相同的运行（数据顺序、初始化、dropout）",
    "Gradient checkpointing": "梯度检查点",
    "Recompute activations in the backward pass: much less memory for about a third more time":
        "反向传播时重新计算激活：内存大幅减少，耗时约多三分之一",
    "Training": "训练",
    "Learning rate": "学习率",
    "Schedule": "调度",
    "Warmup steps": "预热步数",
    "Epochs": "轮数",
    "Max steps": "最大步数",
    "Batch size": "批量大小",
    "Gradient accumulation": "梯度累积",
    "Gradient clipping": "梯度裁剪",
    "Weight decay": "权重衰减",
    "CPU (fp32)": "CPU（fp32）",
    "GPU %1 (CUDA, bf16)": "GPU %1（CUDA，bf16）",
    "Where the run trains. A GPU run takes turns with the Playground on that GPU": "在哪里训练。GPU 上的训练与该 GPU 上的试验场轮流使用",
    "Steps between points of the loss curve": "损失曲线上相邻两点间隔的步数",
    "Steps between eval-loss points (0: only at the end)": "验证损失点之间的步数（0：只在结束时）",
    "at the end": "结束时",
    "Steps between checkpoints a stopped run resumes from (0: only at the end); a stop also saves one":
        "检查点之间的步数，停止的运行从检查点继续（0：只在结束时）；停止时也会保存一个",
    "optional; part of the run folder's name": "可选；作为运行文件夹名称的一部分",
    "Run": "运行",
    "Device": "设备",
    "Log every": "记录间隔",
    "Eval every": "验证间隔",
    "Save every": "保存间隔",
    "%1 · %2 layers · chat template: %3": "%1 · %2 层 · 对话模板：%3",
    "%1 rows · %2 prompts · version %3": "%1 行 · %2 个提示 · 版本 %3",
    "No model: add a model folder in the Models tab.": "没有模型：请在“模型”页添加模型文件夹。",
    "No dataset: import one in the Datasets tab.": "没有数据集：请在“数据集”页导入。",
    "No prompt template: create one in the Prompts tab.": "没有提示模板：请在“提示词”页创建。",
    "Choose the eval dataset.": "请选择验证数据集。",
    "The eval dataset is the training dataset: the eval loss would measure memorisation. Choose another, or hold out a fraction.":
        "验证数据集就是训练数据集：验证损失只会衡量记忆。请另选一个，或留出一部分。",
    "LoRA needs at least one target module.": "LoRA 至少需要一个目标模块。",
    "Data": "数据",
    "Steps": "步数",
    "Loss": "损失",
    "Eval loss": "验证损失",
    "Select a run to see its curves; Ctrl+click several to compare them": "选中一个运行查看其曲线；按住 Ctrl 多选可进行比较",
    "Resume": "继续",
    "Continue the selected unfinished run from its newest checkpoint": "从最新的检查点继续所选的未完成运行",
    "Export…": "导出…",
    "Accuracy": "准确率",
    "A run is being scored already; wait for it (or cancel it in Jobs).": "已有运行正在评分；请等待其完成（或在“任务”中取消）。",
    "Render the template prompt": "渲染模板提示词",
    "Score the base model and the finished run on the problems the run held out":
        "在该运行留出的题目上为基础模型和已完成的运行打分",
    "By log-likelihood (each option's letter; fast, deterministic)":
        "按对数似然（每个选项的字母；快速、确定）",
    "By generated answers (greedy, then answer extraction; slower)":
        "按生成的回答（贪心解码后提取答案；较慢）",
    " (generated)": "（生成）",
    "Generating answers with the base model and %1 on the held-out problems…":
        "正在留出的题目上用基础模型和 %1 生成回答…",
    "Scoring the base model and %1 on the held-out problems…": "正在留出的题目上为基础模型和 %1 打分…",
    "Accuracy: %1": "准确率：%1",
    "Accuracy scoring cancelled.": "准确率评分已取消。",
    "Accuracy scoring failed: %1": "准确率评分失败：%1",
    "Save the finished run as a merged model, a PEFT adapter or GGUF": "把已完成的运行保存为合并模型、PEFT 适配器或 GGUF",
    "Use these settings": "使用这些设置",
    "Fill the setup form with the selected run's configuration": "用所选运行的配置填写设置表单",
    "Open folder": "打开文件夹",
    "Show the run folder (config, metrics, checkpoints, log)": "显示运行文件夹（配置、指标、检查点、日志）",
    "Refresh": "刷新",
    "LoRA r=%1 α=%2%3 on %4": "LoRA r=%1 α=%2%3，作用于 %4",
    " (rsLoRA)": "（rsLoRA）",
    "all linear layers": "所有线性层",
    "full, last %1 layers": "全参数，最后 %1 层",
    "full, all layers": "全参数，全部层",
    "Model: %1": "模型：%1",
    "Data: %1, eval %2": "数据：%1，验证 %2",
    "%1% held out": "留出 %1%",
    "Template: %1%2, max length %3%4": "模板：%1%2，最大长度 %3%4",
    " in the chat template": "（套用对话模板）",
    ", packed": "，打包",
    "Method: %1": "方法：%1",
    "Learning rate %1, %2, warmup %3 · %4 epoch(s)%5 · batch %6 × %7 · seed %8":
        "学习率 %1，%2，预热 %3 · %4 轮%5 · 批量 %6 × %7 · 种子 %8",
    ", at most %1 steps": "，最多 %1 步",
    "Device: %1": "设备：%1",
    "finished": "已完成",
    "stopped at step %1 · can resume": "停在第 %1 步 · 可继续",
    "stopped before a checkpoint · resume restarts it": "在首个检查点前停止 · 继续将从头开始",
    "LoRA r=%1": "LoRA r=%1",
    "full": "全参数",
    "What the run will do, computed from the tokenizer and the model's config without loading weights":
        "本次运行将做什么，由分词器和模型配置算出，无需加载权重",
    "Start training": "开始训练",
    "Start a new run with these settings in a new run folder": "用这些设置在新的运行文件夹中开始新运行",
    "Stop after the current step and save a checkpoint; Resume continues from it": "在当前步结束后停止并保存检查点；“继续”会从那里接着训练",
    "No run selected": "未选择运行",
    "Training throughput: tokens processed per second": "训练吞吐量：每秒处理的词元数",
    "No run yet: set up a run on the left and start it, or pick runs in the history below":
        "还没有运行：在左侧设置并开始一次运行，或在下方历史中选择运行",
    "The run's log appears here": "运行日志显示在这里",
    "<i>Planning…</i>": "<i>正在计划…</i>",
    "Plan the training run": "计划训练运行",
    "Trainable": "可训练",
    "%1 of %2 parameters (%3%)": "%2 个参数中的 %1（%3%）",
    "Examples": "样本",
    "%1 train · %2 eval": "训练 %1 · 验证 %2",
    "Cut": "截断",
    "%1 truncated · %2 dropped": "截断 %1 · 丢弃 %2",
    "Tokens": "词元",
    "%1 (%2 trained on)": "%1（其中 %2 参与训练）",
    "%1 (%2 per epoch)": "%1（每轮 %2）",
    "A run is in progress; stop it first.": "有运行正在进行；请先停止它。",
    "Waiting for the first step… (loading the model and the data)": "等待第一步…（正在加载模型和数据）",
    "starting…": "正在启动…",
    "Training. Stop saves a checkpoint that Resume continues from.": "训练中。停止时会保存检查点，“继续”可从那里接着训练。",
    "Stopping after the current step and saving a checkpoint…": "将在当前步结束后停止并保存检查点…",
    "%1 tokens/s": "%1 词元/秒",
    "waiting for the device…": "等待设备空闲…",
    "elapsed %1": "已用 %1",
    " · ETA %1": " · 预计剩余 %1",
    "The run failed: %1": "运行失败：%1",
    "Stopped. Select the run in the history and press Resume to continue it.": "已停止。在历史中选中该运行并点击“继续”即可接着训练。",
    "Finished.": "已完成。",
    "took %1": "用时 %1",
    "Read the training runs": "读取训练运行",
    "Cannot read the runs: %1": "无法读取运行：%1",
    "%n unfinished run(s) can be resumed: select one in the history and press Resume.":
        "有 %n 个未完成的运行可以继续：在历史中选中一个并点击“继续”。",
    "This run has no metric points yet": "此运行还没有指标点",
    "… (earlier lines are in %1)": "…（更早的内容在 %1 中）",
    "Export %1": "导出 %1",
    "Merged model: a Hugging Face folder (safetensors)": "合并模型：Hugging Face 文件夹（safetensors）",
    "The base model with the adapter folded into its weights: loads in transformers and vLLM without peft":
        "把适配器并入权重的基础模型：无需 peft 即可在 transformers 和 vLLM 中加载",
    "The fine-tuned model, converted to the chosen dtype": "微调后的模型，转换为所选的数据类型",
    "Weight dtype of the merged model": "合并模型的权重数据类型",
    "PEFT adapter folder (adapter_config.json + safetensors)": "PEFT 适配器文件夹（adapter_config.json + safetensors）",
    "A copy of the run's adapter: peft loads it on the base model": "运行所得适配器的副本：peft 可将其加载到基础模型上",
    "GGUF for llama.cpp": "供 llama.cpp 使用的 GGUF",
    "One file with the (merged) weights and the tokenizer": "包含（合并后）权重和分词器的单个文件",
    "F16": "F16",
    "Q8_0 (8-bit, about half of F16)": "Q8_0（8 位，约为 F16 的一半）",
    "F32": "F32",
    "LoRA adapter GGUF (llama.cpp --lora)": "LoRA 适配器 GGUF（llama.cpp --lora）",
    "The adapter alone, for llama.cpp's --lora on the base model's GGUF": "仅适配器，配合基础模型的 GGUF 用于 llama.cpp 的 --lora",
    "What": "内容",
    "Browse…": "浏览…",
    "GGUF file": "GGUF 文件",
    "GGUF (*.gguf)": "GGUF (*.gguf)",
    "Output folder (created)": "输出文件夹（将被创建）",
    "Export": "导出",
    "Close": "关闭",
    "Base model: %1": "基础模型：%1",
    "This run has not finished: there is nothing to export yet.": "此运行尚未完成：还没有可导出的内容。",
    "Cancel export": "取消导出",
    "Choose where to write the export.": "请选择导出位置。",
    "Export %1 → %2": "导出 %1 → %2",
    "Exporting…": "正在导出…",
    "%1 tensors, %2": "%1 个张量，%2",
    ", %1 with the adapter merged": "，其中 %1 个已合并适配器",
    ", %1 kept at F16 (rows not a multiple of 32)": "，%1 个保持 F16（行数不是 32 的倍数）",
    "Written: %1%2": "已写入：%1%2",
    "Cancelled; nothing was written.": "已取消；未写入任何内容。",
    "Export failed: %1": "导出失败：%1",
    "Cancelling…": "正在取消…",
    "Runs": "运行",
    "Log": "日志",
    "Runs (%1)": "运行（%1）",
    "%1 / %2 steps": "%1 / %2 步",
    "Stopped at step %1: Resume continues from its checkpoint.": "停在第 %1 步：“继续”会从其检查点接着训练。",
    "Stopped before its first checkpoint: Resume starts it over.": "在首个检查点之前停止：“继续”会从头开始。",

    # --- wbui::KnowledgeTab and its panels (Kb*) --------------------------------------------
    "Knowledge": "知识库",
    "New knowledge-base collection": "新建知识库集合",
    "e.g. manuals": "例如 manuals",
    "optional": "可选",
    "Hashing: no model, matches shared words": "哈希：无需模型，按共有词匹配",
    "Sentence encoder folder (bge, MiniLM, e5)": "句向量编码器文件夹（bge、MiniLM、e5）",
    "Decoder model folder (pooled hidden states)": "解码器模型文件夹（池化隐藏状态）",
    "OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp)": "OpenAI 兼容端点（vLLM、Ollama、llama.cpp）",
    "Dimensions": "维度",
    "Sentence-transformers folder": "sentence-transformers 文件夹",
    "Model folder": "模型文件夹",
    "Hugging Face model folder": "Hugging Face 模型文件夹",
    "mean of all tokens": "所有 token 的平均",
    "last token": "最后一个 token",
    "Pooling": "池化",
    "e.g. OPENAI_API_KEY (the key itself is never stored)": "例如 OPENAI_API_KEY（密钥本身从不保存）",
    "Endpoint": "端点",
    "Key variable": "密钥变量",
    "Embeddings": "向量嵌入",
    "characters": "字符",
    "tokens of a model's tokenizer": "模型分词器的 token",
    "Model folder with a tokenizer": "含分词器的模型文件夹",
    "At most this much of the previous chunk is repeated, as whole sentences":
        "最多重复上一块的这么多内容，以整句为单位",
    "Pages, records and markdown headings always start a new chunk; breaks are preferred at blank "
    "lines, then sentence ends, then line ends.":
        "页、记录和 Markdown 标题总是开始新块；优先在空行处切分，其次是句末，再次是行末。",
    "Chunking": "分块",
    "Size in": "大小单位",
    "Chunk size": "块大小",
    "Overlap": "重叠",
    "Exact search below this many vectors, HNSW above": "向量数低于此值时精确搜索，高于此值时使用 HNSW",
    "Index": "索引",
    "HNSW above (vectors)": "超过此向量数用 HNSW",
    "Create": "创建",
    "Description": "描述",
    "The collection needs a name.": "集合需要一个名称。",
    "Choose a model folder that holds a config.json.": "请选择包含 config.json 的模型文件夹。",
    "The endpoint and the model name are needed.": "需要端点和模型名称。",
    "Counting tokens needs a model folder with a tokenizer.": "按 token 计数需要一个含分词器的模型文件夹。",
    "The overlap must be smaller than the chunk size.": "重叠必须小于块大小。",
    "Add files…": "添加文件…",
    "Resume indexing": "继续索引",
    "Finish an interrupted or cancelled ingest and pick up changed, new or deleted files":
        "完成被中断或取消的导入，并处理已更改、新增或删除的文件",
    "Remove the selected documents from the collection (the files stay on disk)":
        "从集合中移除所选文档（文件仍保留在磁盘上）",
    "JSONL/CSV text field (auto)": "JSONL/CSV 文本字段（自动）",
    "Drop files or folders here (txt, md, pdf, html, jsonl, csv), or use Add files…":
        "将文件或文件夹拖放到此处（txt、md、pdf、html、jsonl、csv），或使用“添加文件…”",
    "Document": "文档",
    "Type": "类型",
    "Pages": "页数",
    "Chunks": "块数",
    "Details": "详情",
    "indexed": "已索引",
    "skipped": "已跳过",
    "duplicate": "重复",
    "same content as %1": "内容与 %1 相同",
    "embedding": "嵌入中",
    "waiting": "等待中",
    "%n part(s) left out": "%n 处内容被略过",
    "left out": "已略过",
    "%n document(s)": "%n 个文档",
    "%1 indexed · %2 skipped or failed · %3 waiting": "%1 个已索引 · %2 个跳过或失败 · %3 个等待中",
    "%1 is busy; try again when its current job ends.": "%1 正忙；请在其当前任务结束后重试。",
    "Resuming…": "正在继续…",
    "Scanning %n path(s)…": "正在扫描 %n 个路径…",
    "Done: %1 file(s) read, %2 skipped or failed, %3 chunks, %4 embedded, %5 unchanged, %6 removed (%7 s).":
        "完成：读取 %1 个文件，%2 个跳过或失败，%3 个块，嵌入 %4 个，%5 个未变，移除 %6 个（%7 秒）。",
    "Stopped. What was read and embedded is kept; Resume indexing finishes the rest.":
        "已停止。已读取和嵌入的内容会保留；“继续索引”会完成其余部分。",
    "Failed: %1": "失败：%1",
    "Embedding: %1 of %2 chunks · %3 chunks from the files read": "嵌入：第 %1/%2 块 · 已读文件共 %3 块",
    "Reading and chunking: file %1 of %2 · %3 chunks": "读取并分块：第 %1/%2 个文件 · %3 块",
    "Scanning…": "正在扫描…",
    "Add documents": "添加文档",
    "Documents (*.txt *.md *.markdown *.pdf *.html *.htm *.jsonl *.csv);;All files (*)":
        "文档 (*.txt *.md *.markdown *.pdf *.html *.htm *.jsonl *.csv);;所有文件 (*)",
    "Add a folder of documents": "添加文档文件夹",
    "Remove %n document(s) from %1": "从 %1 移除 %n 个文档",
    "Remove documents": "移除文档",
    "Remove %n document(s) and their chunks from %1? The files stay on disk.":
        "从 %1 移除 %n 个文档及其块？文件仍保留在磁盘上。",
    "Ask what a prompt would ask, e.g. how to count the liars": "输入提示词会问的问题，例如：如何统计说谎者人数",
    "Search": "搜索",
    "Hybrid": "混合",
    "Vectors only": "仅向量",
    "BM25 only": "仅 BM25",
    "Share of the vector ranking in the fused rank; BM25 gets the rest": "向量排名在融合排名中的权重；其余归 BM25",
    "MMR (diversify)": "MMR（多样化）",
    "Maximal marginal relevance: keeps near-duplicate passages from filling the top results":
        "最大边际相关：避免近似重复的段落占满靠前的结果",
    "Vector weight": "向量权重",
    "Page": "页",
    "Vector (rank)": "向量（排名）",
    "BM25 (rank)": "BM25（排名）",
    "Fused": "融合",
    "Passage": "段落",
    "Open source": "打开原文",
    "Show the chunk in its document": "在原文档中显示此块",
    "The collection is busy; search when its job ends.": "集合正忙；请在其任务结束后搜索。",
    "Search %1": "搜索 %1",
    "%n result(s) in %1 ms": "%n 条结果，用时 %1 毫秒",
    "Search failed: %1": "搜索失败：%1",
    "Searching…": "正在搜索…",
    "section: %1": "章节：%1",
    "bytes %1–%2": "字节 %1–%2",
    "matched: %1": "匹配：%1",
    "Open knowledge base %1": "打开知识库 %1",
    "Resume indexing %1": "继续索引 %1",
    "Index into %1": "索引到 %1",
    "Source: %1": "原文：%1",
    "Reading %1…": "正在读取 %1…",
    "Cannot read the document: %1": "无法读取文档：%1",
    "The document cannot be read now: %1": "现在无法读取该文档：%1",
    "The file changed since it was indexed and no longer contains this chunk; Resume indexing picks up "
    "the change.":
        "文件在索引后已更改，不再包含此块；“继续索引”会处理该更改。",
    "The file changed since it was indexed; the chunk was found at another place.":
        "文件在索引后已更改；此块出现在另一位置。",
    "row %1 of the file": "文件第 %1 行",
    "page %1 of %2": "第 %1 页，共 %2 页",
    "the chunk starts on %1": "此块起始于 %1",
    "Collection": "集合",
    "Docs": "文档",
    "New…": "新建…",
    "Drop…": "删除…",
    "Delete the collection, its chunks and its index (the documents stay on disk)":
        "删除集合及其块和索引（文档仍保留在磁盘上）",
    "Documents": "文档",
    "Retrieval test": "检索测试",
    "Create a collection with New…, then drop documents on this tab.": "用“新建…”创建集合，然后将文档拖放到此标签页。",
    ", %1 dimensions": "，%1 维",
    "tokens": "token",
    "Embedder": "嵌入器",
    "Chunks of": "分块",
    "%1 %2, overlap %3": "%1 %2，重叠 %3",
    "empty": "空",
    "HNSW, %1 vectors, %2 deleted": "HNSW，%1 个向量，%2 个已删除",
    "exact (flat), %1 vectors": "精确（flat），%1 个向量",
    "%1 (%2 with vectors)": "%1（%2 个有向量）",
    "Created": "创建于",
    "Cannot create the collection": "无法创建集合",
    "Drop collection": "删除集合",
    "Delete the collection %1 with its chunks, vectors and index? The documents themselves stay on disk.":
        "删除集合 %1 及其块、向量和索引？文档本身仍保留在磁盘上。",
    "The collection whose best chunks fill {{context}} in the template": "其最佳块会填入模板中 {{context}} 的集合",
    "top ": "前 ",
    "Context given: %1": "提供的上下文：%1",
    "(no knowledge base)": "（无知识库）",
    "Settings suggested by this model applied (suggested_training.json in its folder).":
        "已应用此模型建议的训练设置（其文件夹中的 suggested_training.json）。",
    "This model's suggested settings were not applied: %1": "未应用此模型建议的设置：%1",
    "no chunks found": "未找到块",
    "Cannot drop the collection: %1": "无法删除集合：%1",
    "Create or choose a collection first, then drop the documents again.": "请先创建或选择一个集合，然后再次拖放文档。",
    "%1 indexed": "%1 个已索引",
    "%1 skipped": "%1 个跳过",
    "%1 failed": "%1 个失败",
    "%1 duplicates": "%1 个重复",
    "%1 waiting": "%1 个等待中",
    "The field or column that holds the text of JSONL and CSV records; empty: text, content, body, passage, "
    "document or page_content, whichever comes first":
        "JSONL 和 CSV 记录中存放文本的字段或列；留空时依次使用 text、content、body、passage、document "
        "或 page_content 中最先出现的一个",

    # --- wbui::CompareTab and its parts (compare_*.cpp, api_keys, remote_endpoint_dialog) -----
    "Compare": "对比",
    "Add": "添加",
    "Label": "标签",
    "this build has no keychain support (QtKeychain)": "此版本不支持系统钥匙串（QtKeychain）",
    "the keychain is switched off (WB_NO_KEYCHAIN)": "钥匙串已被关闭（WB_NO_KEYCHAIN）",
    "the keychain did not answer within %1 s": "钥匙串在 %1 秒内没有响应",
    "The question field to group by": "用于分组的问题字段",
    "Group by": "分组依据",
    "Accuracy per cell": "各单元格准确率",
    "Breakdown": "分组统计",
    "Accuracy by votes": "按投票数的准确率",
    "Accuracy per cell, with 95% intervals": "各单元格准确率（含 95% 区间）",
    "accuracy": "准确率",
    "No field to group by": "没有可分组的字段",
    "Accuracy by %1": "按 %1 的准确率",
    "Accuracy by %1 (the %2 best cells)": "按 %1 的准确率（最好的 %2 个单元格）",
    "Accuracy by the number of votes counted": "准确率与计入的投票数",
    "votes (the first k samples of each question)": "投票数（每题的前 k 个采样）",
    "Accuracy by votes: no cell has more than one sample per question (add a decoding such as \"5 votes, T=0.7\")":
        "按投票数的准确率：没有单元格每题采样多于一次（请添加如“5 votes, T=0.7”的解码设置）",
    "Experiment": "实验",
    "Cells": "单元格",
    "Started": "开始于",
    "Finished": "完成于",
    "Double-click a run to open it; select two to compare them": "双击运行以打开；选中两个以进行比较",
    "Open": "打开",
    "Show the selected run's results": "显示所选运行的结果",
    "Continue the selected run: what is stored is kept, the rest is computed":
        "继续所选运行：已保存的结果保留，其余部分重新计算",
    "Compare runs": "比较运行",
    "Put the accuracies of the two selected runs side by side": "将两个所选运行的准确率并排显示",
    "Delete the selected run and its responses (the response cache keeps them)":
        "删除所选运行及其回答（响应缓存仍保留它们）",
    "stopped": "已停止",
    " (no cache)": "（不使用缓存）",
    "Model variant": "模型变体",
    "RAG": "RAG",
    "Decoding": "解码",
    "The dimension listed down the rows (the other ones not in the columns are listed beside it)":
        "按行列出的维度（不在列中的其他维度列在其旁）",
    "The dimension across the columns": "按列排布的维度",
    "Accuracy [95% interval]": "准确率 [95% 区间]",
    "Correct of answered": "答对数 / 已答数",
    "Unextracted rate": "未提取率",
    "Mean output tokens": "平均输出 token 数",
    "Mean latency": "平均延迟",
    "Tokens/s": "token/秒",
    "Samples done": "已完成采样",
    "What each cell shows; the colour is always the accuracy": "每个单元格显示的内容；颜色始终表示准确率",
    "Columns": "列",
    "Show": "显示",
    "Majority vote over a cell's samples; unextracted samples do not vote; among tied answers the one voted first wins (sample order within a cell, experiment order across cells). No extracted vote = unextracted = wrong. Intervals are 95% Wilson intervals.":
        "对单元格的采样做多数投票；未提取出答案的采样不参与投票；票数相同时最先得票的答案胜出（单元格内按采样顺序，跨单元格按实验顺序）。没有提取出的票 = 未提取 = 错误。区间为 95% Wilson 区间。",
    "Click a cell for its questions; Ctrl+click a second cell to compare the two; right-click for more":
        "点击单元格查看其问题；按住 Ctrl 点击第二个单元格以比较两者；右键查看更多操作",
    "Best: ★ %1 — %2 (%3)": "最佳：★ %1 — %2（%3）",
    "%1 cells × %2 questions": "%1 个单元格 × %2 个问题",
    "Show its questions": "查看其问题",
    "Compare with…": "与…比较",
    "%1 of %2": "%1 / %2",
    "%1 / %2 (%3 cached)": "%1 / %2（%3 个来自缓存）",
    "%1 · %2% done": "%1 · 已完成 %2%",
    "All cells": "全部单元格",
    "Ensemble: %1": "集成：%1",
    "Only where they disagree": "仅显示二者不一致处",
    "A": "A",
    "B": "B",
    "Pick two cells: Ctrl+click them in the matrix, or choose A and B.":
        "选择两个单元格：在矩阵中按住 Ctrl 点击它们，或选择 A 和 B。",
    "McNemar's exact test over the questions both answered: b = A right and B wrong, c = A wrong and B right; p = min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½). A small p says the difference is unlikely to be chance.":
        "对两者都已回答的问题做 McNemar 精确检验：b = A 对且 B 错，c = A 错且 B 对；p = min(1, 2·P(X ≤ min(b, c)))，其中 X ~ Binomial(b + c, ½)。p 越小，差异越不可能出于偶然。",
    "#": "#",
    "Select a question to read both responses": "选择一个问题以阅读两者的回答",
    "A and B are the same cell; choose another one.": "A 和 B 是同一个单元格；请另选一个。",
    "<b>McNemar p = %1</b> · b (only A right) = %2 · c (only B right) = %3 · both right %4 · both wrong %5 · paired %6 · A %7 vs B %8":
        "<b>McNemar p = %1</b> · b（仅 A 对）= %2 · c（仅 B 对）= %3 · 都对 %4 · 都错 %5 · 配对 %6 · A %7 对 B %8",
    "Vote: %1 · %2": "投票：%1 · %2",
    "none (unextracted)": "无（未提取）",
    "correct": "正确",
    "wrong": "错误",
    "Sample %1": "采样 %1",
    "extracted: %1": "提取：%1",
    "nothing": "无",
    "Click a cell of the matrix to see its questions.": "点击矩阵中的单元格以查看其问题。",
    "Only wrong answers": "仅显示答错的",
    "Select a question to read the full responses": "选择一个问题以阅读完整回答",
    "<b>%1</b> — %2 · %3": "<b>%1</b> — %2 · %3",
    "S%1": "S%1",
    "Samples": "采样",
    "Vote": "投票",
    "Correct": "正确",
    "Retrieved": "检索到的",
    "%n chunk(s): %1": "%n 个块：%1",
    "Retrieved chunks": "检索到的块",
    "Question %1 · %2 · expected %3": "问题 %1 · %2 · 期望答案 %3",
    "finish: %1": "结束原因：%1",
    "%1 prompt + %2 output tokens": "提示 %1 + 输出 %2 个 token",
    "from the cache": "来自缓存",
    "Log-likelihoods:": "对数似然：",
    "Experiments saved in this workspace; choosing one loads it": "此工作区中保存的实验；选择一个即加载",
    "Save": "保存",
    "Save the experiment in the workspace under its name": "以实验名称将其保存到工作区",
    "More": "更多",
    "Save as…": "另存为…",
    "Save experiment as": "实验另存为",
    "Name:": "名称：",
    "Load from JSON file…": "从 JSON 文件加载…",
    "Load experiment": "加载实验",
    "Experiment (*.json);;All files (*)": "实验 (*.json);;所有文件 (*)",
    "Save to JSON file…": "保存为 JSON 文件…",
    "Save experiment": "保存实验",
    "Experiment (*.json)": "实验 (*.json)",
    "Delete saved experiment": "删除已保存的实验",
    "Delete experiment": "删除实验",
    "Delete the saved experiment %1? Its runs stay.": "删除已保存的实验 %1？其运行记录会保留。",
    "Saved": "已保存",
    "What a run of this experiment will ask for, counted without loading a model; cached responses are reused unless \"No cache\" is ticked":
        "运行此实验需要的调用，无需加载模型即可统计；除非勾选“不使用缓存”，否则会复用已缓存的回答",
    "Where local models run (remote endpoints run on their server)": "本地模型在何处运行（远程端点在其服务器上运行）",
    "No cache": "不使用缓存",
    "Ask every model again: neither read nor write the response cache": "重新询问每个模型：既不读取也不写入响应缓存",
    "Stop the run; what is stored is kept and Resume continues it": "停止运行；已保存的结果会保留，“继续”可接着运行",
    "Continue the shown run (stopped, interrupted or failed)": "继续当前显示的运行（已停止、被中断或失败的）",
    "Start": "开始",
    "Record a new run of this experiment and run it": "为此实验记录一次新运行并执行",
    "No run shown": "未显示运行",
    "Results as CSV…": "结果导出为 CSV…",
    "Results as JSON…": "结果导出为 JSON…",
    "Results as Markdown…": "结果导出为 Markdown…",
    "Submission file of the selected cell…": "所选单元格的提交文件…",
    "Questions": "问题",
    "Two cells": "两个单元格",
    "Charts": "图表",
    "<i>Counting…</i>": "<i>正在统计…</i>",
    "Plan the comparison": "规划对比",
    "<b>%1</b> cells × <b>%2</b> questions = <b>%3</b> calls · %4 cached · <b>%5</b> to compute":
        "<b>%1</b> 个单元格 × <b>%2</b> 个问题 = <b>%3</b> 次调用 · %4 次已缓存 · <b>%5</b> 次待计算",
    "Cannot read the saved experiments: %1": "无法读取已保存的实验：%1",
    "Not saved: %1": "未保存：%1",
    "Saved the experiment %1.": "已保存实验 %1。",
    "There is no saved experiment %1.": "没有名为 %1 的已保存实验。",
    "Cannot load %1: %2": "无法加载 %1：%2",
    "Loaded %1. Save keeps it in the workspace.": "已加载 %1。点击“保存”将其保存到工作区。",
    "Cannot write %1: %2": "无法写入 %1：%2",
    "Wrote %1 (run it with `llmwb compare run %1`).": "已写入 %1（用 `llmwb compare run %1` 运行）。",
    "Open a run first.": "请先打开一个运行。",
    "Exported %1.": "已导出 %1。",
    "Wrote the submission file %1.": "已写入提交文件 %1。",
    "Save submission file": "保存提交文件",
    "JSON lines (*.jsonl);;All files (*)": "JSON lines (*.jsonl);;所有文件 (*)",
    "CSV (*.csv)": "CSV (*.csv)",
    "JSON (*.json)": "JSON (*.json)",
    "Markdown (*.md)": "Markdown (*.md)",
    "Export results": "导出结果",
    "The API key goes to the system keychain, never into the workspace.": "API 密钥保存在系统钥匙串中，绝不写入工作区。",
    "No keychain is available (%1): an API key typed here is kept in memory for this session only, never written to the workspace. Or name an environment variable.":
        "没有可用的钥匙串（%1）：此处输入的 API 密钥仅在本次会话中保存在内存里，绝不写入工作区。也可以指定一个环境变量。",
    "Added the remote endpoint %1.": "已添加远程端点 %1。",
    "Added the remote endpoint %1; its key is in the system keychain.": "已添加远程端点 %1；其密钥保存在系统钥匙串中。",
    "Added the remote endpoint %1. The keychain is unavailable (%2): its key is kept in memory for this session only and is not written to the workspace.":
        "已添加远程端点 %1。钥匙串不可用（%2）：其密钥仅在本次会话中保存在内存里，不会写入工作区。",
    "Record a comparison run": "记录一次对比运行",
    "Preparing the run (reading the dataset, checking the models)…": "正在准备运行（读取数据集、检查模型）…",
    "Cannot start: %1": "无法开始：%1",
    "Running. Stop keeps every stored response; Resume continues.": "运行中。“停止”会保留所有已保存的回答；“继续”可接着运行。",
    "Stopping after the current batch…": "将在当前批次完成后停止…",
    "%1 / %2 samples": "%1 / %2 个采样",
    "Running.": "运行中。",
    "This cell: %1 / %2 samples.": "当前单元格：%1 / %2 个采样。",
    "Stopped. Everything computed is stored; Resume continues the run.": "已停止。所有已计算的结果都已保存；“继续”可接着运行。",
    "Read the results of %1": "读取 %1 的结果",
    "Cannot read the results: %1": "无法读取结果：%1",
    "Finished %1.": "已于 %1 完成。",
    "Not finished: Resume continues it.": "未完成：“继续”可接着运行。",
    "Delete run": "删除运行",
    "Delete the run %1 and its stored responses? The response cache keeps them.": "删除运行 %1 及其保存的回答？响应缓存仍会保留它们。",
    "Read the results of %1 and %2": "读取 %1 和 %2 的结果",
    "RAG off": "不使用 RAG",
    "greedy": "贪心",
    "%1 × T=%2": "%1 × T=%2",
    "Ensemble of %1": "由 %1 组成的集成",
    "Accuracy: %1 (%2 of %3 answered)": "准确率：%1（已答 %3 题中答对 %2 题）",
    "95% interval (Wilson): %1 – %2": "95% 区间（Wilson）：%1 – %2",
    "Unextracted: %1 (%2)": "未提取：%1（%2）",
    "Mean output tokens: %1": "平均输出 token 数：%1",
    "Mean latency: %1 s · first token %2 s": "平均延迟：%1 秒 · 首个 token %2 秒",
    "Tokens/s: %1": "token/秒：%1",
    "Samples: %1 of %2 done (%3 from the cache), %4 per question": "采样：已完成 %1 / %2（%3 个来自缓存），每题 %4 个",
    "T": "T",
    "top-p": "top-p",
    "Max tokens": "最大 token 数",
    "One row per decoding. Temperature 0 is greedy (one sample). With several samples each question is answered that many times and the answers vote; sample s draws with seed + s.":
        "每行一种解码设置。温度 0 为贪心解码（一个采样）。多个采样时每题回答相应次数并投票；第 s 个采样使用种子 seed + s。",
    "Greedy": "贪心",
    "5 votes, T=0.7": "5 票，T=0.7",
    "10 votes, T=1.0, top-p 0.95": "10 票，T=1.0，top-p 0.95",
    "The experiment's name; runs are named after it": "实验名称；运行以它命名",
    "A logic-reasoning dataset of the workspace; every sub-question is one question of the matrix":
        "工作区中的逻辑推理数据集；每个子问题是矩阵中的一个问题",
    "all": "全部",
    "train": "训练",
    "eval": "评估",
    "Which problems: all, or one side of the split `llmwb train` makes (10% held out, seed 42)":
        "使用哪些题目：全部，或 `llmwb train` 划分出的某一部分（留出 10%，种子 42）",
    "At most this many problems (the first ones); all: no limit": "最多使用这么多道题目（取前面的）；全部：不限",
    "generate (answers, then extraction)": "generate（生成回答后提取）",
    "loglik (option letters' log-likelihood)": "loglik（选项字母的对数似然）",
    "generate: the model writes an answer and the option letter is extracted from it; loglik: the option whose letter is most likely (deterministic, one pass, local models only)":
        "generate：模型写出回答，再从中提取选项字母；loglik：取字母概率最高的选项（确定性，单次前向，仅限本地模型）",
    "Data and method": "数据与方法",
    "Limit": "上限",
    "Split": "划分",
    "Model variants": "模型变体",
    "Tick every template to compare": "勾选要比较的每个模板",
    "Wrap prompts in the model's chat template": "用模型的对话模板包装提示词",
    "Setting": "设置",
    "k": "k",
    "Tick \"off\" and/or collections: each ticked setting is a column of cells. k chunks of the collection fill {{context}} in the template.":
        "勾选“关闭”和/或集合：每个勾选的设置对应一列单元格。集合中的 k 个块会填入模板中的 {{context}}。",
    "Retrieval (RAG)": "检索（RAG）",
    "Member cells": "成员单元格",
    "An ensemble votes across cells: each member cell's vote counts once, in member order. Members are cell ids: c0, c1, … in the order variants × templates × RAG × decoding.":
        "集成在多个单元格之间投票：每个成员单元格的投票计一次，按成员顺序。成员为单元格编号：c0、c1、…，顺序为 变体 × 模板 × RAG × 解码。",
    "Add an ensemble of every cell": "添加由全部单元格组成的集成",
    "ensemble %1": "集成 %1",
    "Ensembles (optional)": "集成（可选）",
    "Local model: %1": "本地模型：%1",
    "Broken model folder": "损坏的模型文件夹",
    "Remote endpoint: %1 at %2": "远程端点：%1，位于 %2",
    "Not in this workspace": "不在此工作区中",
    "off (no retrieval)": "关闭（不检索）",
    "Choose a dataset.": "请选择数据集。",
    "Add at least one model variant.": "请至少添加一个模型变体。",
    "Tick at least one prompt template.": "请至少勾选一个提示词模板。",
    "Tick at least one RAG setting (\"off\" for none).": "请至少勾选一个 RAG 设置（不检索请选“关闭”）。",
    "Add at least one decoding.": "请至少添加一种解码设置。",
    "Add remote endpoint": "添加远程端点",
    "e.g. qwen-vllm": "例如 qwen-vllm",
    "The name variants pick it by; unique among models and endpoints": "变体用来选择它的名称；在模型和端点中唯一",
    "The server's OpenAI-compatible base URL (a trailing /v1 is optional)": "服务器的 OpenAI 兼容基础 URL（末尾的 /v1 可省略）",
    "the server's model id, e.g. Qwen/Qwen2.5-7B-Instruct": "服务器上的模型 ID，例如 Qwen/Qwen2.5-7B-Instruct",
    "Kept in the system keychain, never in the workspace": "保存在系统钥匙串中，绝不写入工作区",
    "optional, e.g. OPENAI_API_KEY": "可选，例如 OPENAI_API_KEY",
    "An environment variable holding the key, for `llmwb` and when the keychain has none":
        "存放密钥的环境变量，供 `llmwb` 使用，或在钥匙串中没有密钥时使用",
    "Requests in flight at once": "同时进行的请求数",
    "Requests per minute at most": "每分钟最多请求数",
    " s": " 秒",
    "How long one request may take": "单个请求的最长耗时",
    "Further attempts after 429, 5xx and connection errors, with exponential backoff":
        "遇到 429、5xx 和连接错误后的重试次数（指数退避）",
    "Base URL": "基础 URL",
    "API key": "API 密钥",
    "Concurrency": "并发数",
    "Requests/minute": "请求数/分钟",
    "Timeout": "超时",
    "Retries": "重试次数",
    "The endpoint needs a name.": "端点需要一个名称。",
    "Compare runs: %1 and %2": "比较运行：%1 与 %2",
    "Cell": "单元格",
    "Difference (points)": "差值（百分点）",
    "Cells are matched by their label. McNemar's test needs both cells in one run: put both variants in one experiment for it.":
        "单元格按标签匹配。McNemar 检验需要两个单元格在同一次运行中：请将两个变体放在同一个实验里。",
    "Adapter": "适配器",
    "One row per model variant. Model: a workspace model, a remote endpoint, or a model folder typed in. Adapter: a training run with an adapter, or a PEFT folder. Label: the name in the matrix (empty: model + adapter).":
        "每行一个模型变体。模型：工作区模型、远程端点，或输入的模型文件夹。适配器：带适配器的训练运行，或 PEFT 文件夹。标签：矩阵中显示的名称（留空：模型 + 适配器）。",
    "Add a model variant": "添加一个模型变体",
    "Remove the selected variant": "移除所选变体",
    "Add remote endpoint…": "添加远程端点…",
    "Register an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, a hosted API) as a model":
        "将 OpenAI 兼容服务器（vLLM、Ollama、llama.cpp server、托管 API）注册为模型",
    # --- remote endpoints in the Playground and the model host ---------------------------------
    "remote %1 at %2": "远程 %1，位于 %2",
    "remote: %1 at %2": "远程：%1，位于 %2",

    # --- wbui::ServePanel / Models tab's Serve -------------------------------------------------
    "Serve…": "服务…",
    "Serve this model (and its adapters) behind an OpenAI-compatible API": "通过 OpenAI 兼容的 API 提供此模型（及其适配器）",
    "Serve %1": "服务 %1",
    "127.0.0.1 answers this computer only; 0.0.0.0 the network, which needs an API key": "127.0.0.1 只响应本机；0.0.0.0 响应整个网络，需要 API 密钥",
    "none (loopback only)": "无（仅限本机回环）",
    "Checked training runs are served too, each under its own name": "勾选的训练运行也会一并提供，各用自己的名称",
    "Host": "主机",
    "Port": "端口",
    "Batch rows": "批处理行数",
    "Adapters": "适配器",
    "Not serving.": "未在服务。",
    "Requests appear here as they are answered.": "请求在得到响应后显示在这里。",
    "Could not start: %1": "无法启动：%1",
    "Serving %1 at <b>%2/v1</b> (models: %3)": "正在 <b>%2/v1</b> 提供 %1（模型：%3）",
    "  %1 + %2 tokens": "  %1 + %2 个词元",
    "%1 active, %2 queued (of %3 rows) · %4 tokens/s · %5 tokens in %6 requests": "%1 个进行中，%2 个排队（共 %3 行）· %4 词元/秒 · %6 个请求共 %5 个词元",
    "Stopping: running streams get up to 5 s to finish…": "正在停止：进行中的流最多还有 5 秒完成…",
}

# Overrides for a source text that needs a different translation in one context:
# {("wbui::Context", "source"): "translation"}.
ZH_BY_CONTEXT = {
    # The matrix's row dimension, not a count of rows.
    ("wbui::CompareMatrix", "Rows"): "行",
}


def escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def attrs(el):
    return "".join(f' {k}="{escape(v)}"' for k, v in el.attrib.items())


def write_ts(root, path):
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>", f"<TS{attrs(root)}>"]
    for ctx in root.findall("context"):
        out.append("<context>")
        for child in ctx:
            if child.tag != "message":
                out.append(f"    <{child.tag}{attrs(child)}>{escape(child.text or '')}</{child.tag}>")
                continue
            out.append(f"    <message{attrs(child)}>")
            for part in child:
                if part.tag == "translation" and len(part):
                    out.append(f"        <translation{attrs(part)}>")
                    for form in part:
                        out.append(f"            <{form.tag}{attrs(form)}>{escape(form.text or '')}</{form.tag}>")
                    out.append("        </translation>")
                else:
                    out.append(f"        <{part.tag}{attrs(part)}>{escape(part.text or '')}</{part.tag}>")
            out.append("    </message>")
        out.append("</context>")
    out.append("</TS>")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "llmwb_zh_CN.ts")
    root = ET.parse(path).getroot()
    filled, missing, bad = 0, [], 0
    for ctx in root.findall("context"):
        cname = ctx.findtext("name")
        for msg in ctx.findall("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            text = ZH_BY_CONTEXT.get((cname, source), ZH.get(source))
            if text is None:
                done = tr.get("type") is None and ((tr.text or "").strip() or any(
                    (f.text or "").strip() for f in tr))
                if not done:
                    missing.append((cname, source))
                continue
            if sorted(re.findall(r"%(?:n|L?\d+)", source)) != sorted(re.findall(r"%(?:n|L?\d+)", text)):
                print(f"  PLACEHOLDER MISMATCH [{cname}] {source!r} -> {text!r}")
                bad += 1
            tr.attrib.pop("type", None)
            if msg.get("numerus") == "yes":
                for f in list(tr):
                    tr.remove(f)
                tr.text = None
                ET.SubElement(tr, "numerusform").text = text  # Chinese has one plural form
            else:
                tr.text = text
            filled += 1
    write_ts(root, path)
    print(f"{path}: {filled} messages translated, {len(missing)} missing")
    for cname, source in missing:
        print(f"  MISSING [{cname}] {source!r}")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
