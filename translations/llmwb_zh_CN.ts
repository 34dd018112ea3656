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
    <name>wbui::ExportDialog</name>
    <message>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <source>Merged model: a Hugging Face folder (safetensors)</source>
        <translation>合并模型：Hugging Face 文件夹（safetensors）</translation>
    </message>
    <message>
        <source>The base model with the adapter folded into its weights: loads in transformers and vLLM without peft</source>
        <translation>把适配器并入权重的基础模型：无需 peft 即可在 transformers 和 vLLM 中加载</translation>
    </message>
    <message>
        <source>The fine-tuned model, converted to the chosen dtype</source>
        <translation>微调后的模型，转换为所选的数据类型</translation>
    </message>
    <message>
        <source>Weight dtype of the merged model</source>
        <translation>合并模型的权重数据类型</translation>
    </message>
    <message>
        <source>PEFT adapter folder (adapter_config.json + safetensors)</source>
        <translation>PEFT 适配器文件夹（adapter_config.json + safetensors）</translation>
    </message>
    <message>
        <source>A copy of the run&apos;s adapter: peft loads it on the base model</source>
        <translation>运行所得适配器的副本：peft 可将其加载到基础模型上</translation>
    </message>
    <message>
        <source>GGUF for llama.cpp</source>
        <translation>供 llama.cpp 使用的 GGUF</translation>
    </message>
    <message>
        <source>One file with the (merged) weights and the tokenizer</source>
        <translation>包含（合并后）权重和分词器的单个文件</translation>
    </message>
    <message>
        <source>F16</source>
        <translation>F16</translation>
    </message>
    <message>
        <source>Q8_0 (8-bit, about half of F16)</source>
        <translation>Q8_0（8 位，约为 F16 的一半）</translation>
    </message>
    <message>
        <source>F32</source>
        <translation>F32</translation>
    </message>
    <message>
        <source>LoRA adapter GGUF (llama.cpp --lora)</source>
        <translation>LoRA 适配器 GGUF（llama.cpp --lora）</translation>
    </message>
    <message>
        <source>The adapter alone, for llama.cpp&apos;s --lora on the base model&apos;s GGUF</source>
        <translation>仅适配器，配合基础模型的 GGUF 用于 llama.cpp 的 --lora</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>GGUF file</source>
        <translation>GGUF 文件</translation>
    </message>
    <message>
        <source>GGUF (*.gguf)</source>
        <translation>GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>Output folder (created)</source>
        <translation>输出文件夹（将被创建）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Base model: %1</source>
        <translation>基础模型：%1</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>This run has not finished: there is nothing to export yet.</source>
        <translation>此运行尚未完成：还没有可导出的内容。</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <source>Choose where to write the export.</source>
        <translation>请选择导出位置。</translation>
    </message>
    <message>
        <source>Export %1 → %2</source>
        <translation>导出 %1 → %2</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>%1 tensors, %2</source>
        <translation>%1 个张量，%2</translation>
    </message>
    <message>
        <source>, %1 with the adapter merged</source>
        <translation>，其中 %1 个已合并适配器</translation>
    </message>
    <message>
        <source>, %1 kept at F16 (rows not a multiple of 32)</source>
        <translation>，%1 个保持 F16（行数不是 32 的倍数）</translation>
    </message>
    <message>
        <source>Written: %1%2</source>
        <translation>已写入：%1%2</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>已取消；未写入任何内容。</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
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
    <name>wbui::KbCreateDialog</name>
    <message>
        <source>New knowledge-base collection</source>
        <translation>新建知识库集合</translation>
    </message>
    <message>
        <source>e.g. manuals</source>
        <translation>例如 manuals</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Hashing: no model, matches shared words</source>
        <translation>哈希：无需模型，按共有词匹配</translation>
    </message>
    <message>
        <source>Sentence encoder folder (bge, MiniLM, e5)</source>
        <translation>句向量编码器文件夹（bge、MiniLM、e5）</translation>
    </message>
    <message>
        <source>Decoder model folder (pooled hidden states)</source>
        <translation>解码器模型文件夹（池化隐藏状态）</translation>
    </message>
    <message>
        <source>OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp)</source>
        <translation>OpenAI 兼容端点（vLLM、Ollama、llama.cpp）</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Sentence-transformers folder</source>
        <translation>sentence-transformers 文件夹</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Hugging Face model folder</source>
        <translation>Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>mean of all tokens</source>
        <translation>所有 token 的平均</translation>
    </message>
    <message>
        <source>last token</source>
        <translation>最后一个 token</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>e.g. OPENAI_API_KEY (the key itself is never stored)</source>
        <translation>例如 OPENAI_API_KEY（密钥本身从不保存）</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Key variable</source>
        <translation>密钥变量</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>向量嵌入</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>tokens of a model&apos;s tokenizer</source>
        <translation>模型分词器的 token</translation>
    </message>
    <message>
        <source>Model folder with a tokenizer</source>
        <translation>含分词器的模型文件夹</translation>
    </message>
    <message>
        <source>At most this much of the previous chunk is repeated, as whole sentences</source>
        <translation>最多重复上一块的这么多内容，以整句为单位</translation>
    </message>
    <message>
        <source>Pages, records and markdown headings always start a new chunk; breaks are preferred at blank lines, then sentence ends, then line ends.</source>
        <translation>页、记录和 Markdown 标题总是开始新块；优先在空行处切分，其次是句末，再次是行末。</translation>
    </message>
    <message>
        <source>Chunking</source>
        <translation>分块</translation>
    </message>
    <message>
        <source>Size in</source>
        <translation>大小单位</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Chunk size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>Exact search below this many vectors, HNSW above</source>
        <translation>向量数低于此值时精确搜索，高于此值时使用 HNSW</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <source>HNSW above (vectors)</source>
        <translation>超过此向量数用 HNSW</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>The collection needs a name.</source>
        <translation>集合需要一个名称。</translation>
    </message>
    <message>
        <source>Choose a model folder that holds a config.json.</source>
        <translation>请选择包含 config.json 的模型文件夹。</translation>
    </message>
    <message>
        <source>The endpoint and the model name are needed.</source>
        <translation>需要端点和模型名称。</translation>
    </message>
    <message>
        <source>Counting tokens needs a model folder with a tokenizer.</source>
        <translation>按 token 计数需要一个含分词器的模型文件夹。</translation>
    </message>
    <message>
        <source>The overlap must be smaller than the chunk size.</source>
        <translation>重叠必须小于块大小。</translation>
    </message>
</context>
<context>
    <name>wbui::KbDocumentsPanel</name>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Resume indexing</source>
        <translation>继续索引</translation>
    </message>
    <message>
        <source>Finish an interrupted or cancelled ingest and pick up changed, new or deleted files</source>
        <translation>完成被中断或取消的导入，并处理已更改、新增或删除的文件</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected documents from the collection (the files stay on disk)</source>
        <translation>从集合中移除所选文档（文件仍保留在磁盘上）</translation>
    </message>
    <message>
        <source>JSONL/CSV text field (auto)</source>
        <translation>JSONL/CSV 文本字段（自动）</translation>
    </message>
    <message>
        <source>Drop files or folders here (txt, md, pdf, html, jsonl, csv), or use Add files…</source>
        <translation>将文件或文件夹拖放到此处（txt、md、pdf、html、jsonl、csv），或使用“添加文件…”</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>块数</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>indexed</source>
        <translation>已索引</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>same content as %1</source>
        <translation>内容与 %1 相同</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>嵌入中</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message numerus="yes">
        <source>%n part(s) left out</source>
        <translation>
            <numerusform>%n 处内容被略过</numerusform>
        </translation>
    </message>
    <message>
        <source>left out</source>
        <translation>已略过</translation>
    </message>
    <message numerus="yes">
        <source>%n document(s)</source>
        <translation>
            <numerusform>%n 个文档</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 indexed · %2 skipped or failed · %3 waiting</source>
        <translation>%1 个已索引 · %2 个跳过或失败 · %3 个等待中</translation>
    </message>
    <message>
        <source>%1 is busy; try again when its current job ends.</source>
        <translation>%1 正忙；请在其当前任务结束后重试。</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>正在继续…</translation>
    </message>
    <message numerus="yes">
        <source>Scanning %n path(s)…</source>
        <translation>
            <numerusform>正在扫描 %n 个路径…</numerusform>
        </translation>
    </message>
    <message>
        <source>Done: %1 file(s) read, %2 skipped or failed, %3 chunks, %4 embedded, %5 unchanged, %6 removed (%7 s).</source>
        <translation>完成：读取 %1 个文件，%2 个跳过或失败，%3 个块，嵌入 %4 个，%5 个未变，移除 %6 个（%7 秒）。</translation>
    </message>
    <message>
        <source>Stopped. What was read and embedded is kept; Resume indexing finishes the rest.</source>
        <translation>已停止。已读取和嵌入的内容会保留；“继续索引”会完成其余部分。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Embedding: %1 of %2 chunks · %3 chunks from the files read</source>
        <translation>嵌入：第 %1/%2 块 · 已读文件共 %3 块</translation>
    </message>
    <message>
        <source>Reading and chunking: file %1 of %2 · %3 chunks</source>
        <translation>读取并分块：第 %1/%2 个文件 · %3 块</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <source>Documents (*.txt *.md *.markdown *.pdf *.html *.htm *.jsonl *.csv);;All files (*)</source>
        <translation>文档 (*.txt *.md *.markdown *.pdf *.html *.htm *.jsonl *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Add a folder of documents</source>
        <translation>添加文档文件夹</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n document(s) from %1</source>
        <translation>
            <numerusform>从 %1 移除 %n 个文档</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove documents</source>
        <translation>移除文档</translation>
    </message>
    <message numerus="yes">
        <source>Remove %n document(s) and their chunks from %1? The files stay on disk.</source>
        <translation>
            <numerusform>从 %1 移除 %n 个文档及其块？文件仍保留在磁盘上。</numerusform>
        </translation>
    </message>
    <message>
        <source>The field or column that holds the text of JSONL and CSV records; empty: text, content, body, passage, document or page_content, whichever comes first</source>
        <translation>JSONL 和 CSV 记录中存放文本的字段或列；留空时依次使用 text、content、body、passage、document 或 page_content 中最先出现的一个</translation>
    </message>
</context>
<context>
    <name>wbui::KbSearchPanel</name>
    <message>
        <source>Ask what a prompt would ask, e.g. how to count the liars</source>
        <translation>输入提示词会问的问题，例如：如何统计说谎者人数</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Hybrid</source>
        <translation>混合</translation>
    </message>
    <message>
        <source>Vectors only</source>
        <translation>仅向量</translation>
    </message>
    <message>
        <source>BM25 only</source>
        <translation>仅 BM25</translation>
    </message>
    <message>
        <source>Share of the vector ranking in the fused rank; BM25 gets the rest</source>
        <translation>向量排名在融合排名中的权重；其余归 BM25</translation>
    </message>
    <message>
        <source>MMR (diversify)</source>
        <translation>MMR（多样化）</translation>
    </message>
    <message>
        <source>Maximal marginal relevance: keeps near-duplicate passages from filling the top results</source>
        <translation>最大边际相关：避免近似重复的段落占满靠前的结果</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Vector weight</source>
        <translation>向量权重</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>源文件</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>页</translation>
    </message>
    <message>
        <source>Vector (rank)</source>
        <translation>向量（排名）</translation>
    </message>
    <message>
        <source>BM25 (rank)</source>
        <translation>BM25（排名）</translation>
    </message>
    <message>
        <source>Fused</source>
        <translation>融合</translation>
    </message>
    <message>
        <source>Passage</source>
        <translation>段落</translation>
    </message>
    <message>
        <source>Open source</source>
        <translation>打开原文</translation>
    </message>
    <message>
        <source>Show the chunk in its document</source>
        <translation>在原文档中显示此块</translation>
    </message>
    <message>
        <source>The collection is busy; search when its job ends.</source>
        <translation>集合正忙；请在其任务结束后搜索。</translation>
    </message>
    <message>
        <source>Search %1</source>
        <translation>搜索 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) in %1 ms</source>
        <translation>
            <numerusform>%n 条结果，用时 %1 毫秒</numerusform>
        </translation>
    </message>
    <message>
        <source>Search failed: %1</source>
        <translation>搜索失败：%1</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>section: %1</source>
        <translation>章节：%1</translation>
    </message>
    <message>
        <source>bytes %1–%2</source>
        <translation>字节 %1–%2</translation>
    </message>
    <message>
        <source>matched: %1</source>
        <translation>匹配：%1</translation>
    </message>
</context>
<context>
    <name>wbui::KbSession</name>
    <message>
        <source>Open knowledge base %1</source>
        <translation>打开知识库 %1</translation>
    </message>
    <message>
        <source>Resume indexing %1</source>
        <translation>继续索引 %1</translation>
    </message>
    <message>
        <source>Index into %1</source>
        <translation>索引到 %1</translation>
    </message>
</context>
<context>
    <name>wbui::KbSourceDialog</name>
    <message>
        <source>Source: %1</source>
        <translation>原文：%1</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>Cannot read the document: %1</source>
        <translation>无法读取文档：%1</translation>
    </message>
    <message>
        <source>The document cannot be read now: %1</source>
        <translation>现在无法读取该文档：%1</translation>
    </message>
    <message>
        <source>The file changed since it was indexed and no longer contains this chunk; Resume indexing picks up the change.</source>
        <translation>文件在索引后已更改，不再包含此块；“继续索引”会处理该更改。</translation>
    </message>
    <message>
        <source>The file changed since it was indexed; the chunk was found at another place.</source>
        <translation>文件在索引后已更改；此块出现在另一位置。</translation>
    </message>
    <message>
        <source>row %1 of the file</source>
        <translation>文件第 %1 行</translation>
    </message>
    <message>
        <source>page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>the chunk starts on %1</source>
        <translation>此块起始于 %1</translation>
    </message>
</context>
<context>
    <name>wbui::KnowledgeTab</name>
    <message>
        <source>Collection</source>
        <translation>集合</translation>
    </message>
    <message>
        <source>Docs</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>块数</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Drop…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the collection, its chunks and its index (the documents stay on disk)</source>
        <translation>删除集合及其块和索引（文档仍保留在磁盘上）</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Retrieval test</source>
        <translation>检索测试</translation>
    </message>
    <message>
        <source>Create a collection with New…, then drop documents on this tab.</source>
        <translation>用“新建…”创建集合，然后将文档拖放到此标签页。</translation>
    </message>
    <message>
        <source>, %1 dimensions</source>
        <translation>，%1 维</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>token</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>Embedder</source>
        <translation>嵌入器</translation>
    </message>
    <message>
        <source>Chunks of</source>
        <translation>分块</translation>
    </message>
    <message>
        <source>%1 %2, overlap %3</source>
        <translation>%1 %2，重叠 %3</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>HNSW, %1 vectors, %2 deleted</source>
        <translation>HNSW，%1 个向量，%2 个已删除</translation>
    </message>
    <message>
        <source>exact (flat), %1 vectors</source>
        <translation>精确（flat），%1 个向量</translation>
    </message>
    <message>
        <source>%1 (%2 with vectors)</source>
        <translation>%1（%2 个有向量）</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建于</translation>
    </message>
    <message>
        <source>Cannot create the collection</source>
        <translation>无法创建集合</translation>
    </message>
    <message>
        <source>Drop collection</source>
        <translation>删除集合</translation>
    </message>
    <message>
        <source>Delete the collection %1 with its chunks, vectors and index? The documents themselves stay on disk.</source>
        <translation>删除集合 %1 及其块、向量和索引？文档本身仍保留在磁盘上。</translation>
    </message>
    <message>
        <source>%1 indexed</source>
        <translation>%1 个已索引</translation>
    </message>
    <message>
        <source>%1 skipped</source>
        <translation>%1 个跳过</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 个失败</translation>
    </message>
    <message>
        <source>%1 duplicates</source>
        <translation>%1 个重复</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 个等待中</translation>
    </message>
    <message>
        <source>Cannot drop the collection: %1</source>
        <translation>无法删除集合：%1</translation>
    </message>
    <message>
        <source>Create or choose a collection first, then drop the documents again.</source>
        <translation>请先创建或选择一个集合，然后再次拖放文档。</translation>
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
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识库</translation>
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
    <message>
        <source>The collection whose best chunks fill {{context}} in the template</source>
        <translation>其最佳块会填入模板中 {{context}} 的集合</translation>
    </message>
    <message>
        <source>top </source>
        <translation>前 </translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Context given: %1</source>
        <translation>提供的上下文：%1</translation>
    </message>
    <message>
        <source>(no knowledge base)</source>
        <translation>（无知识库）</translation>
    </message>
    <message>
        <source>no chunks found</source>
        <translation>未找到块</translation>
    </message>
    <message>
        <source>Render the template prompt</source>
        <translation>渲染模板提示词</translation>
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
<context>
    <name>wbui::RunHistory</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Select a run to see its curves; Ctrl+click several to compare them</source>
        <translation>选中一个运行查看其曲线；按住 Ctrl 多选可进行比较</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the selected unfinished run from its newest checkpoint</source>
        <translation>从最新的检查点继续所选的未完成运行</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the finished run as a merged model, a PEFT adapter or GGUF</source>
        <translation>把已完成的运行保存为合并模型、PEFT 适配器或 GGUF</translation>
    </message>
    <message>
        <source>Use these settings</source>
        <translation>使用这些设置</translation>
    </message>
    <message>
        <source>Fill the setup form with the selected run&apos;s configuration</source>
        <translation>用所选运行的配置填写设置表单</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Show the run folder (config, metrics, checkpoints, log)</source>
        <translation>显示运行文件夹（配置、指标、检查点、日志）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>LoRA r=%1 α=%2%3 on %4</source>
        <translation>LoRA r=%1 α=%2%3，作用于 %4</translation>
    </message>
    <message>
        <source> (rsLoRA)</source>
        <translation>（rsLoRA）</translation>
    </message>
    <message>
        <source>all linear layers</source>
        <translation>所有线性层</translation>
    </message>
    <message>
        <source>full, last %1 layers</source>
        <translation>全参数，最后 %1 层</translation>
    </message>
    <message>
        <source>full, all layers</source>
        <translation>全参数，全部层</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Data: %1, eval %2</source>
        <translation>数据：%1，验证 %2</translation>
    </message>
    <message>
        <source>%1% held out</source>
        <translation>留出 %1%</translation>
    </message>
    <message>
        <source>Template: %1%2, max length %3%4</source>
        <translation>模板：%1%2，最大长度 %3%4</translation>
    </message>
    <message>
        <source> in the chat template</source>
        <translation>（套用对话模板）</translation>
    </message>
    <message>
        <source>, packed</source>
        <translation>，打包</translation>
    </message>
    <message>
        <source>Method: %1</source>
        <translation>方法：%1</translation>
    </message>
    <message>
        <source>Learning rate %1, %2, warmup %3 · %4 epoch(s)%5 · batch %6 × %7 · seed %8</source>
        <translation>学习率 %1，%2，预热 %3 · %4 轮%5 · 批量 %6 × %7 · 种子 %8</translation>
    </message>
    <message>
        <source>, at most %1 steps</source>
        <translation>，最多 %1 步</translation>
    </message>
    <message>
        <source>Device: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped at step %1 · can resume</source>
        <translation>停在第 %1 步 · 可继续</translation>
    </message>
    <message>
        <source>stopped before a checkpoint · resume restarts it</source>
        <translation>在首个检查点前停止 · 继续将从头开始</translation>
    </message>
    <message>
        <source>LoRA r=%1</source>
        <translation>LoRA r=%1</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全参数</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Score the base model and the finished run on the problems the run held out</source>
        <translation>在该运行留出的题目上为基础模型和已完成的运行打分</translation>
    </message>
    <message>
        <source>By log-likelihood (each option&apos;s letter; fast, deterministic)</source>
        <translation>按对数似然（每个选项的字母；快速、确定）</translation>
    </message>
    <message>
        <source>By generated answers (greedy, then answer extraction; slower)</source>
        <translation>按生成的回答（贪心解码后提取答案；较慢）</translation>
    </message>
    <message>
        <source> (generated)</source>
        <translation>（生成）</translation>
    </message>
</context>
<context>
    <name>wbui::TrainingChart</name>
    <message>
        <source>Weight of the exponential moving average drawn over the raw loss (0: none, 0.99: very smooth)</source>
        <translation>叠加在原始损失上的指数移动平均的权重（0：不平滑，0.99：非常平滑）</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Logarithmic loss axis: late, small improvements stay visible</source>
        <translation>损失轴用对数刻度：后期的小幅改进也看得清</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Drag a rectangle on a chart to zoom in; right click also resets</source>
        <translation>在图上拖出矩形即可放大；右键也可重置</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>损失（平滑）</translation>
    </message>
    <message>
        <source>eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>loss (log)</source>
        <translation>损失（对数）</translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>%1 (eval)</source>
        <translation>%1（验证）</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <source>loss %1</source>
        <translation>损失 %1</translation>
    </message>
    <message>
        <source>smoothed %1</source>
        <translation>平滑 %1</translation>
    </message>
    <message>
        <source>eval loss %1 (step %2)</source>
        <translation>验证损失 %1（第 %2 步）</translation>
    </message>
    <message>
        <source>learning rate %1</source>
        <translation>学习率 %1</translation>
    </message>
    <message>
        <source>gradient norm %1</source>
        <translation>梯度范数 %1</translation>
    </message>
</context>
<context>
    <name>wbui::TrainingForm</name>
    <message>
        <source>The base model (register folders in the Models tab)</source>
        <translation>基础模型（在“模型”页登记文件夹）</translation>
    </message>
    <message>
        <source>Training data: the latest version of a workspace dataset. Logic problems give one example per sub-question.</source>
        <translation>训练数据：工作区数据集的最新版本。逻辑题的每个子问题生成一条样本。</translation>
    </message>
    <message>
        <source>Hold out a fraction</source>
        <translation>留出一部分</translation>
    </message>
    <message>
        <source>Another dataset</source>
        <translation>另一个数据集</translation>
    </message>
    <message>
        <source>Where the eval loss is measured: problems held out of the training data (deterministic by seed), or a separate dataset</source>
        <translation>验证损失的来源：从训练数据中留出的题目（由种子确定），或单独的数据集</translation>
    </message>
    <message>
        <source>Share of the training problems kept aside for the eval loss (0: no eval curve)</source>
        <translation>留作验证损失的训练题目比例（0：没有验证曲线）</translation>
    </message>
    <message>
        <source>The dataset the eval loss is measured on</source>
        <translation>用于计算验证损失的数据集</translation>
    </message>
    <message>
        <source>The prompt template each record is rendered with; the model learns to answer what follows it</source>
        <translation>渲染每条记录所用的提示模板；模型学习回答其后的内容</translation>
    </message>
    <message>
        <source>Wrap in the model&apos;s chat template</source>
        <translation>套用模型的对话模板</translation>
    </message>
    <message>
        <source>Send the rendered prompt as a user turn and the answer as the assistant turn of the model&apos;s own chat template (only for models that have one)</source>
        <translation>用模型自带的对话模板，把渲染后的提示作为用户轮、答案作为助手轮（仅限带对话模板的模型）</translation>
    </message>
    <message>
        <source>Tokens per example; longer examples are cut and counted in the plan</source>
        <translation>每条样本的词元数；更长的样本会被截断，并在计划中计数</translation>
    </message>
    <message>
        <source>Pack examples</source>
        <translation>样本打包</translation>
    </message>
    <message>
        <source>Concatenate short examples into sequences of the maximum length: fewer padding tokens, faster epochs</source>
        <translation>把短样本拼接成最大长度的序列：填充更少，每轮更快</translation>
    </message>
    <message>
        <source>Train on the prompt too</source>
        <translation>也在提示上训练</translation>
    </message>
    <message>
        <source>Also compute the loss on the prompt tokens (default: only on the response)</source>
        <translation>提示词元也计入损失（默认只计回答部分）</translation>
    </message>
    <message>
        <source>Model and data</source>
        <translation>模型与数据</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Eval</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>LoRA adapter</source>
        <translation>LoRA 适配器</translation>
    </message>
    <message>
        <source>Full fine-tuning</source>
        <translation>全参数微调</translation>
    </message>
    <message>
        <source>LoRA trains small low-rank matrices beside the frozen weights (fast, little memory, a PEFT adapter as result); full fine-tuning changes the weights themselves</source>
        <translation>LoRA 在冻结的权重旁训练小的低秩矩阵（快、省内存，结果是 PEFT 适配器）；全参数微调直接修改权重本身</translation>
    </message>
    <message>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <source>All linear layers</source>
        <translation>所有线性层</translation>
    </message>
    <message>
        <source>Every projection of attention and MLP (q k v o gate up down)</source>
        <translation>注意力与 MLP 的全部投影（q k v o gate up down）</translation>
    </message>
    <message>
        <source>Rank r of the adapter matrices: capacity and size grow with it</source>
        <translation>适配器矩阵的秩 r：容量和大小随之增长</translation>
    </message>
    <message>
        <source>Scale of the adapter&apos;s update: alpha / r (alpha / √r with rsLoRA)</source>
        <translation>适配器更新的缩放：alpha / r（rsLoRA 为 alpha / √r）</translation>
    </message>
    <message>
        <source>Dropout on the adapter&apos;s input during training</source>
        <translation>训练时对适配器输入施加的 dropout</translation>
    </message>
    <message>
        <source>rsLoRA</source>
        <translation>rsLoRA</translation>
    </message>
    <message>
        <source>Rank-stabilised scaling alpha / √r: keeps high ranks learning</source>
        <translation>秩稳定缩放 alpha / √r：让高秩也能持续学习</translation>
    </message>
    <message>
        <source>Kaiming-uniform A</source>
        <translation>Kaiming 均匀初始化 A</translation>
    </message>
    <message>
        <source>Gaussian A</source>
        <translation>高斯初始化 A</translation>
    </message>
    <message>
        <source>How A starts; B starts at zero either way, so step 0 equals the base model</source>
        <translation>A 的初始化方式；B 总是从零开始，因此第 0 步与基础模型相同</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>Init</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Only the last N decoder layers (and the final norm) train; 0 trains every weight</source>
        <translation>只训练最后 N 个解码层（以及最终归一化层）；0 表示训练全部权重</translation>
    </message>
    <message>
        <source>all layers</source>
        <translation>全部层</translation>
    </message>
    <message>
        <source>Train last layers</source>
        <translation>训练最后几层</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Peak learning rate of AdamW. LoRA: 1e-4 to 5e-4; full fine-tuning: around 1e-5</source>
        <translation>AdamW 的峰值学习率。LoRA：1e-4 到 5e-4；全参数微调：约 1e-5</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>How the learning rate falls after the warmup</source>
        <translation>预热之后学习率如何下降</translation>
    </message>
    <message>
        <source>Steps over which the learning rate rises linearly from 0</source>
        <translation>学习率从 0 线性上升所用的步数</translation>
    </message>
    <message>
        <source>Passes over the training examples</source>
        <translation>遍历训练样本的轮数</translation>
    </message>
    <message>
        <source>Stops after this many optimizer steps (0: run all epochs)</source>
        <translation>优化器走完这么多步后停止（0：跑完所有轮）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Examples per micro-batch. Lower it if memory runs out</source>
        <translation>每个微批次的样本数。内存不够时调小</translation>
    </message>
    <message>
        <source>Micro-batches per optimizer step: effective batch = batch × accumulation</source>
        <translation>每个优化步的微批次数：有效批量 = 批量 × 累积</translation>
    </message>
    <message>
        <source>Gradients are scaled down to this norm (0: no clipping)</source>
        <translation>梯度会被缩放到不超过此范数（0：不裁剪）</translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay</source>
        <translation>AdamW 的解耦权重衰减</translation>
    </message>
    <message>
        <source>Same seed, same settings: the same run (data order, init, dropout)</source>
        <translation>相同的种子和设置得到相同的运行（数据顺序、初始化、dropout）</translation>
    </message>
    <message>
        <source>Gradient checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
    <message>
        <source>Recompute activations in the backward pass: much less memory for about a third more time</source>
        <translation>反向传播时重新计算激活：内存大幅减少，耗时约多三分之一</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>Warmup steps</source>
        <translation>预热步数</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <source>Gradient clipping</source>
        <translation>梯度裁剪</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>CPU (fp32)</source>
        <translation>CPU（fp32）</translation>
    </message>
    <message>
        <source>GPU %1 (CUDA, bf16)</source>
        <translation>GPU %1（CUDA，bf16）</translation>
    </message>
    <message>
        <source>Where the run trains. A GPU run takes turns with the Playground on that GPU</source>
        <translation>在哪里训练。GPU 上的训练与该 GPU 上的试验场轮流使用</translation>
    </message>
    <message>
        <source>Steps between points of the loss curve</source>
        <translation>损失曲线上相邻两点间隔的步数</translation>
    </message>
    <message>
        <source>Steps between eval-loss points (0: only at the end)</source>
        <translation>验证损失点之间的步数（0：只在结束时）</translation>
    </message>
    <message>
        <source>at the end</source>
        <translation>结束时</translation>
    </message>
    <message>
        <source>Steps between checkpoints a stopped run resumes from (0: only at the end); a stop also saves one</source>
        <translation>检查点之间的步数，停止的运行从检查点继续（0：只在结束时）；停止时也会保存一个</translation>
    </message>
    <message>
        <source>optional; part of the run folder&apos;s name</source>
        <translation>可选；作为运行文件夹名称的一部分</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Log every</source>
        <translation>记录间隔</translation>
    </message>
    <message>
        <source>Eval every</source>
        <translation>验证间隔</translation>
    </message>
    <message>
        <source>Save every</source>
        <translation>保存间隔</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>%1 · %2 layers · chat template: %3</source>
        <translation>%1 · %2 层 · 对话模板：%3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1 rows · %2 prompts · version %3</source>
        <translation>%1 行 · %2 个提示 · 版本 %3</translation>
    </message>
    <message>
        <source>No model: add a model folder in the Models tab.</source>
        <translation>没有模型：请在“模型”页添加模型文件夹。</translation>
    </message>
    <message>
        <source>No dataset: import one in the Datasets tab.</source>
        <translation>没有数据集：请在“数据集”页导入。</translation>
    </message>
    <message>
        <source>No prompt template: create one in the Prompts tab.</source>
        <translation>没有提示模板：请在“提示词”页创建。</translation>
    </message>
    <message>
        <source>Choose the eval dataset.</source>
        <translation>请选择验证数据集。</translation>
    </message>
    <message>
        <source>The eval dataset is the training dataset: the eval loss would measure memorisation. Choose another, or hold out a fraction.</source>
        <translation>验证数据集就是训练数据集：验证损失只会衡量记忆。请另选一个，或留出一部分。</translation>
    </message>
    <message>
        <source>LoRA needs at least one target module.</source>
        <translation>LoRA 至少需要一个目标模块。</translation>
    </message>
    <message>
        <source>Settings suggested by this model applied (suggested_training.json in its folder).</source>
        <translation>已应用此模型建议的训练设置（其文件夹中的 suggested_training.json）。</translation>
    </message>
    <message>
        <source>This model&apos;s suggested settings were not applied: %1</source>
        <translation>未应用此模型建议的设置：%1</translation>
    </message>
</context>
<context>
    <name>wbui::TrainingTab</name>
    <message>
        <source>What the run will do, computed from the tokenizer and the model&apos;s config without loading weights</source>
        <translation>本次运行将做什么，由分词器和模型配置算出，无需加载权重</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Start a new run with these settings in a new run folder</source>
        <translation>用这些设置在新的运行文件夹中开始新运行</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current step and save a checkpoint; Resume continues from it</source>
        <translation>在当前步结束后停止并保存检查点；“继续”会从那里接着训练</translation>
    </message>
    <message>
        <source>No run selected</source>
        <translation>未选择运行</translation>
    </message>
    <message>
        <source>Training throughput: tokens processed per second</source>
        <translation>训练吞吐量：每秒处理的词元数</translation>
    </message>
    <message>
        <source>No run yet: set up a run on the left and start it, or pick runs in the history below</source>
        <translation>还没有运行：在左侧设置并开始一次运行，或在下方历史中选择运行</translation>
    </message>
    <message>
        <source>The run&apos;s log appears here</source>
        <translation>运行日志显示在这里</translation>
    </message>
    <message>
        <source>&lt;i&gt;Planning…&lt;/i&gt;</source>
        <translation>&lt;i&gt;正在计划…&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Plan the training run</source>
        <translation>计划训练运行</translation>
    </message>
    <message>
        <source>Trainable</source>
        <translation>可训练</translation>
    </message>
    <message>
        <source>%1 of %2 parameters (%3%)</source>
        <translation>%2 个参数中的 %1（%3%）</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>%1 train · %2 eval</source>
        <translation>训练 %1 · 验证 %2</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>截断</translation>
    </message>
    <message>
        <source>%1 truncated · %2 dropped</source>
        <translation>截断 %1 · 丢弃 %2</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>%1 (%2 trained on)</source>
        <translation>%1（其中 %2 参与训练）</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>%1 (%2 per epoch)</source>
        <translation>%1（每轮 %2）</translation>
    </message>
    <message>
        <source>A run is in progress; stop it first.</source>
        <translation>有运行正在进行；请先停止它。</translation>
    </message>
    <message>
        <source>Waiting for the first step… (loading the model and the data)</source>
        <translation>等待第一步…（正在加载模型和数据）</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Training. Stop saves a checkpoint that Resume continues from.</source>
        <translation>训练中。停止时会保存检查点，“继续”可从那里接着训练。</translation>
    </message>
    <message>
        <source>Stopping after the current step and saving a checkpoint…</source>
        <translation>将在当前步结束后停止并保存检查点…</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>waiting for the device…</source>
        <translation>等待设备空闲…</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source> · ETA %1</source>
        <translation> · 预计剩余 %1</translation>
    </message>
    <message>
        <source>The run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <source>Stopped. Select the run in the history and press Resume to continue it.</source>
        <translation>已停止。在历史中选中该运行并点击“继续”即可接着训练。</translation>
    </message>
    <message>
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>用时 %1</translation>
    </message>
    <message>
        <source>Read the training runs</source>
        <translation>读取训练运行</translation>
    </message>
    <message>
        <source>Cannot read the runs: %1</source>
        <translation>无法读取运行：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n unfinished run(s) can be resumed: select one in the history and press Resume.</source>
        <translation>
            <numerusform>有 %n 个未完成的运行可以继续：在历史中选中一个并点击“继续”。</numerusform>
        </translation>
    </message>
    <message>
        <source>This run has no metric points yet</source>
        <translation>此运行还没有指标点</translation>
    </message>
    <message>
        <source>… (earlier lines are in %1)</source>
        <translation>…（更早的内容在 %1 中）</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Runs (%1)</source>
        <translation>运行（%1）</translation>
    </message>
    <message>
        <source>%1 / %2 steps</source>
        <translation>%1 / %2 步</translation>
    </message>
    <message>
        <source>Stopped at step %1: Resume continues from its checkpoint.</source>
        <translation>停在第 %1 步：“继续”会从其检查点接着训练。</translation>
    </message>
    <message>
        <source>Stopped before its first checkpoint: Resume starts it over.</source>
        <translation>在首个检查点之前停止：“继续”会从头开始。</translation>
    </message>
    <message>
        <source>Scoring the base model and %1 on the held-out problems…</source>
        <translation>正在留出的题目上为基础模型和 %1 打分…</translation>
    </message>
    <message>
        <source>Accuracy: %1</source>
        <translation>准确率：%1</translation>
    </message>
    <message>
        <source>Accuracy scoring cancelled.</source>
        <translation>准确率评分已取消。</translation>
    </message>
    <message>
        <source>Accuracy scoring failed: %1</source>
        <translation>准确率评分失败：%1</translation>
    </message>
    <message>
        <source>A run is being scored already; wait for it (or cancel it in Jobs).</source>
        <translation>已有运行正在评分；请等待其完成（或在“任务”中取消）。</translation>
    </message>
    <message>
        <source>Generating answers with the base model and %1 on the held-out problems…</source>
        <translation>正在留出的题目上用基础模型和 %1 生成回答…</translation>
    </message>
</context>
</TS>
