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
}

# Overrides for a source text that needs a different translation in one context:
# {("wbui::Context", "source"): "translation"}.
ZH_BY_CONTEXT = {}


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
