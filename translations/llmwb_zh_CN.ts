<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>main</name>
    <message>
        <source>LLM Workbench</source>
        <translation>LLM Workbench</translation>
    </message>
    <message>
        <source>Workspace folder.</source>
        <translation>工作区文件夹。</translation>
    </message>
    <message>
        <source>Quit after N milliseconds (for smoke tests).</source>
        <translation>N 毫秒后退出（用于冒烟测试）。</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>无法打开工作区</translation>
    </message>
</context>
<context>
    <name>wbui::DatasetPreviewModel</name>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Problem / question</source>
        <translation>题目 / 问题</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Turns</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>First user message</source>
        <translation>首条用户消息</translation>
    </message>
    <message>
        <source>Last assistant message</source>
        <translation>末条助手消息</translation>
    </message>
    <message numerus="yes">
        <source>%n question(s)</source>
        <translation>
            <numerusform>%n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>Q%1</source>
        <translation>Q%1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>wbui::DatasetStatsView</name>
    <message>
        <source>No dataset selected.</source>
        <translation>未选择数据集。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Sub-questions</source>
        <translation>子问题</translation>
    </message>
    <message>
        <source>With answers</source>
        <translation>含答案</translation>
    </message>
    <message>
        <source>Messages (%1)</source>
        <translation>消息（%1）</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均值</translation>
    </message>
    <message>
        <source>median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>Lengths in characters.</source>
        <translation>长度以字符计。</translation>
    </message>
    <message>
        <source>Answer letters</source>
        <translation>答案字母分布</translation>
    </message>
    <message numerus="yes">
        <source>%n option(s)</source>
        <translation>
            <numerusform>%n 个选项</numerusform>
        </translation>
    </message>
    <message>
        <source>Questions by number of options</source>
        <translation>按选项数统计的问题数</translation>
    </message>
    <message>
        <source>Mean length by field</source>
        <translation>各字段平均长度</translation>
    </message>
</context>
<context>
    <name>wbui::DatasetsTab</name>
    <message>
        <source>Datasets</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Import a JSONL, JSON or CSV file (or drop files on the window)</source>
        <translation>导入 JSONL、JSON 或 CSV 文件（也可将文件拖放到窗口中）</translation>
    </message>
    <message>
        <source>Split…</source>
        <translation>划分…</translation>
    </message>
    <message>
        <source>Make a deterministic train/eval split of this dataset</source>
        <translation>将此数据集确定性地划分为训练集和评估集</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import the valid rows</source>
        <translation>导入有效行</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一页</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一页 ▶</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源文件</translation>
    </message>
    <message>
        <source>No rows</source>
        <translation>没有行</translation>
    </message>
    <message>
        <source>Page %1 of %2 — records %3–%4 of %5</source>
        <translation>第 %1 页，共 %2 页 — 第 %3–%4 条记录，共 %5 条</translation>
    </message>
    <message>
        <source>Drop JSONL, JSON or CSV files here, or use Import. Logic-reasoning, Alpaca and chat (messages / ShareGPT) shapes are recognised.</source>
        <translation>将 JSONL、JSON 或 CSV 文件拖放到此处，或使用“导入”。可识别逻辑推理、Alpaca 和对话（messages / ShareGPT）格式。</translation>
    </message>
    <message>
        <source>%1 · %2 rows · %3 prompts · version %4 of %5 · %6 · sha256 %7</source>
        <translation>%1 · %2 行 · %3 条提示词 · 版本 %4/%5 · %6 · sha256 %7</translation>
    </message>
    <message>
        <source>Not imported: %1 rows, %2 valid, %3 with problems</source>
        <translation>未导入：共 %1 行，%2 行有效，%3 行有问题</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>问题（%1）</translation>
    </message>
    <message>
        <source>
… (only the first 4 MB are shown)</source>
        <translation>
…（仅显示前 4 MB）</translation>
    </message>
    <message>
        <source>Open dataset %1</source>
        <translation>打开数据集 %1</translation>
    </message>
    <message>
        <source>Cannot open dataset</source>
        <translation>无法打开数据集</translation>
    </message>
    <message>
        <source>Import datasets</source>
        <translation>导入数据集</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.ndjson);;All files (*)</source>
        <translation>数据集 (*.jsonl *.json *.csv *.ndjson);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>Import of %1 failed: %2</source>
        <translation>导入 %1 失败：%2</translation>
    </message>
    <message>
        <source>Split %1</source>
        <translation>划分 %1</translation>
    </message>
    <message>
        <source>Eval fraction</source>
        <translation>评估集比例</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Logic problems are split by problem, never by question.</source>
        <translation>逻辑题按题目整体划分，同一题目的问题不会被拆开。</translation>
    </message>
    <message>
        <source>Created %1 (%2 rows) and %3 (%4 rows)</source>
        <translation>已创建 %1（%2 行）和 %3（%4 行）</translation>
    </message>
    <message>
        <source>Split failed</source>
        <translation>划分失败</translation>
    </message>
    <message>
        <source>Delete dataset</source>
        <translation>删除数据集</translation>
    </message>
    <message>
        <source>Delete %1 and all its versions from the workspace? The original file on disk is not touched.</source>
        <translation>要从工作区删除 %1 及其所有版本吗？磁盘上的原始文件不会受影响。</translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>删除失败</translation>
    </message>
</context>
<context>
    <name>wbui::JobsPanel</name>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Elapsed / ETA</source>
        <translation>已用时间 / 预计剩余</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>wbui::MainWindow</name>
    <message>
        <source>LLM Workbench — %1</source>
        <translation>LLM Workbench — %1</translation>
    </message>
    <message>
        <source>Datasets</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Workspace: %1</source>
        <translation>工作区：%1</translation>
    </message>
    <message>
        <source>No jobs running</source>
        <translation>没有正在运行的任务</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) running</source>
        <translation>
            <numerusform>%n 个任务正在运行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) were interrupted when the app last stopped; see the Jobs panel.</source>
        <translation>
            <numerusform>上次退出应用时有 %n 个任务被中断；请查看“任务”面板。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Import dataset…</source>
        <translation>导入数据集(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;New template…</source>
        <translation>新建模板(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LLM Workbench</source>
        <translation>关于 LLM Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>About LLM Workbench</source>
        <translation>关于 LLM Workbench</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LLM Workbench %1&lt;/h3&gt;&lt;p&gt;Prompt, RAG and fine-tuning experiments on open LLMs, offline.&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;Workspace: %3&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LLM Workbench %1&lt;/h3&gt;&lt;p&gt;在开源大语言模型上离线进行提示词、RAG 和微调实验。&lt;/p&gt;&lt;p&gt;%2&lt;/p&gt;&lt;p&gt;工作区：%3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Prompt templates</source>
        <translation>提示词模板</translation>
    </message>
    <message>
        <source>%1 · %2 rows · %3 prompts</source>
        <translation>%1 · %2 行 · %3 条提示词</translation>
    </message>
    <message>
        <source>Nothing to import: no .jsonl, .json or .csv files found.</source>
        <translation>没有可导入的内容：未找到 .jsonl、.json 或 .csv 文件。</translation>
    </message>
    <message>
        <source>Unsaved templates</source>
        <translation>未保存的模板</translation>
    </message>
    <message>
        <source>These templates have unsaved changes: %1.
Save the one open in the editor before quitting?</source>
        <translation>以下模板有未保存的更改：%1。
退出前是否保存编辑器中打开的模板？</translation>
    </message>
    <message>
        <source>Jobs running</source>
        <translation>任务正在运行</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) are still running. Quit anyway? They will be cancelled.</source>
        <translation>
            <numerusform>仍有 %n 个任务正在运行。仍要退出吗？这些任务将被取消。</numerusform>
        </translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>试验场</translation>
    </message>
    <message>
        <source>broken: %1</source>
        <translation>已损坏：%1</translation>
    </message>
</context>
<context>
    <name>wbui::ModelHost</name>
    <message>
        <source>Load model %1</source>
        <translation>加载模型 %1</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
    <message>
        <source>Generate with %1</source>
        <translation>使用 %1 生成</translation>
    </message>
</context>
<context>
    <name>wbui::ModelsTab</name>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Local Hugging Face folders (config.json, *.safetensors, tokenizer). Drop a folder on the window or use Add.</source>
        <translation>本地 Hugging Face 文件夹（config.json、*.safetensors、分词器）。可将文件夹拖放到窗口中，或使用“添加”。</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>Inspect the folder again after fixing it</source>
        <translation>修复文件夹后重新检查</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Forget this model; its folder is not touched</source>
        <translation>从列表中移除此模型；其文件夹不受影响</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>broken</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>&lt;p&gt;No models yet. Add a folder downloaded from Hugging Face, e.g. Qwen2-0.5B-Instruct or TinyLlama-1.1B-Chat.&lt;/p&gt;</source>
        <translation>&lt;p&gt;尚无模型。请添加从 Hugging Face 下载的文件夹，例如 Qwen2-0.5B-Instruct 或 TinyLlama-1.1B-Chat。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Layers / hidden / heads</source>
        <translation>层数 / 隐藏维度 / 注意力头</translation>
    </message>
    <message>
        <source>%1 layers, hidden %2, %3 heads (%4 key/value)</source>
        <translation>%1 层，隐藏维度 %2，%3 个注意力头（%4 个键/值头）</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>%1 tokens, RoPE %2</source>
        <translation>%1 个词元，RoPE %2</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>What is wrong</source>
        <translation>问题所在</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Cannot add model</source>
        <translation>无法添加模型</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>Remove %1 from the workspace? The folder on disk is not touched.</source>
        <translation>要从工作区移除 %1 吗？磁盘上的文件夹不会受影响。</translation>
    </message>
</context>
<context>
    <name>wbui::PlaygroundTab</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU %1 (CUDA)</source>
        <translation>GPU %1 (CUDA)</translation>
    </message>
    <message>
        <source>Compute precision. On a CPU fp32 is fastest and exact; on a GPU use bf16.</source>
        <translation>计算精度。在 CPU 上 fp32 最快且精确；在 GPU 上请使用 bf16。</translation>
    </message>
    <message>
        <source>int8 weights</source>
        <translation>int8 权重</translation>
    </message>
    <message>
        <source>Quantize linear layers to int8 at load: about half the memory of bf16</source>
        <translation>加载时将线性层量化为 int8：内存占用约为 bf16 的一半</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>System prompt (optional)</source>
        <translation>系统提示词（可选）</translation>
    </message>
    <message>
        <source>Use the model&apos;s chat template</source>
        <translation>使用模型的对话模板</translation>
    </message>
    <message>
        <source>Message (Ctrl+Enter sends)</source>
        <translation>消息（Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>0 is greedy (deterministic)</source>
        <translation>0 表示贪心解码（确定性）</translation>
    </message>
    <message>
        <source>0 turns top-k off</source>
        <translation>0 表示关闭 top-k</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>Last reply</source>
        <translation>上次回复</translation>
    </message>
    <message>
        <source>Put the prompt in the message box</source>
        <translation>将提示词填入消息框</translation>
    </message>
    <message>
        <source>Prompt from a template</source>
        <translation>从模板生成提示词</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期答案</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>无法加载：%1</translation>
    </message>
    <message>
        <source>Add a model in the Models tab first.</source>
        <translation>请先在“模型”选项卡中添加模型。</translation>
    </message>
    <message>
        <source>Loading %1… (progress in the Jobs panel)</source>
        <translation>正在加载 %1…（进度见“任务”面板）</translation>
    </message>
    <message>
        <source>Loaded %1: %2%3</source>
        <translation>已加载 %1：%2%3</translation>
    </message>
    <message>
        <source> · no chat template: messages are sent as plain text</source>
        <translation> · 无对话模板：消息将以纯文本发送</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#c0392b&apos;&gt;%1&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#c0392b&apos;&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1 prompt tokens · %2 generated · %3 tokens/s · first token after %4 ms · stopped: %5</source>
        <translation>提示词 %1 个词元 · 生成 %2 个 · %3 词元/秒 · 首个词元用时 %4 毫秒 · 停止原因：%5</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Cannot render the prompt</source>
        <translation>无法渲染提示词</translation>
    </message>
</context>
<context>
    <name>wbui::PromptsTab</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Save version</source>
        <translation>保存版本</translation>
    </message>
    <message>
        <source>Save the text as a new version (Ctrl+S)</source>
        <translation>将文本保存为新版本（Ctrl+S）</translation>
    </message>
    <message>
        <source>&lt;small&gt;{{variable}} · {{#each options}}{{letter}}. {{this}}{{/each}} · {{#if x}}…{{else}}…{{/if}} · {{! comment}} · \{{ for a literal {{&lt;/small&gt;</source>
        <translation>&lt;small&gt;{{variable}} · {{#each options}}{{letter}}. {{this}}{{/each}} · {{#if x}}…{{else}}…{{/if}} · {{! 注释}} · \{{ 表示字面量 {{&lt;/small&gt;</translation>
    </message>
    <message>
        <source>record </source>
        <translation>记录 </translation>
    </message>
    <message>
        <source>question </source>
        <translation>问题 </translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Restore this version into the editor</source>
        <translation>将此版本恢复到编辑器</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Load %1 for the preview</source>
        <translation>加载 %1 用于预览</translation>
    </message>
    <message>
        <source>Cannot open template</source>
        <translation>无法打开模板</translation>
    </message>
    <message>
        <source>Prompts — choose a template in the sidebar</source>
        <translation>提示词 — 请在侧栏中选择模板</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Variables: none</source>
        <translation>变量：无</translation>
    </message>
    <message>
        <source>Variables: %1</source>
        <translation>变量：%1</translation>
    </message>
    <message>
        <source>Import a dataset to preview.</source>
        <translation>请导入数据集以进行预览。</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>%1 · %2 characters · %3 lines · expected answer: %4</source>
        <translation>%1 · %2 个字符 · %3 行 · 预期答案：%4</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Version %1 — %2</source>
        <translation>版本 %1 — %2</translation>
    </message>
    <message>
        <source>Template has errors</source>
        <translation>模板有错误</translation>
    </message>
    <message>
        <source>%1

Save it anyway?</source>
        <translation>%1

仍要保存吗？</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>新建模板</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>my-template</source>
        <translation>my-template</translation>
    </message>
    <message>
        <source>Cannot create template</source>
        <translation>无法创建模板</translation>
    </message>
    <message>
        <source>Duplicate failed</source>
        <translation>复制失败</translation>
    </message>
    <message>
        <source>Rename template</source>
        <translation>重命名模板</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>新名称</translation>
    </message>
    <message>
        <source>Rename failed</source>
        <translation>重命名失败</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>删除模板</translation>
    </message>
    <message>
        <source>Delete %1 and its whole history?</source>
        <translation>要删除 %1 及其全部历史吗？</translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>删除失败</translation>
    </message>
    <message>
        <source>%1 is a %2 dataset; its rows offer: %3</source>
        <translation>%1 是 %2 数据集；其记录提供：%3</translation>
    </message>
</context>
</TS>
