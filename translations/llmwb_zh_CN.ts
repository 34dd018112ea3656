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
        <source>Line %1, column %2: %3</source>
        <translation>第 %1 行，第 %2 列：%3</translation>
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
</context>
</TS>
