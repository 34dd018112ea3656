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
    <name>wbui::ApiKeyStore</name>
    <message>
        <source>this build has no keychain support (QtKeychain)</source>
        <translation>此版本不支持系统钥匙串（QtKeychain）</translation>
    </message>
    <message>
        <source>the keychain is switched off (WB_NO_KEYCHAIN)</source>
        <translation>钥匙串已被关闭（WB_NO_KEYCHAIN）</translation>
    </message>
    <message>
        <source>the keychain did not answer within %1 s</source>
        <translation>钥匙串在 %1 秒内没有响应</translation>
    </message>
</context>
<context>
    <name>wbui::CompareCharts</name>
    <message>
        <source>The question field to group by</source>
        <translation>用于分组的问题字段</translation>
    </message>
    <message>
        <source>Group by</source>
        <translation>分组依据</translation>
    </message>
    <message>
        <source>Accuracy per cell</source>
        <translation>各单元格准确率</translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation>分组统计</translation>
    </message>
    <message>
        <source>Accuracy by votes</source>
        <translation>按投票数的准确率</translation>
    </message>
    <message>
        <source>Accuracy per cell, with 95% intervals</source>
        <translation>各单元格准确率（含 95% 区间）</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>No field to group by</source>
        <translation>没有可分组的字段</translation>
    </message>
    <message>
        <source>Accuracy by %1</source>
        <translation>按 %1 的准确率</translation>
    </message>
    <message>
        <source>Accuracy by %1 (the %2 best cells)</source>
        <translation>按 %1 的准确率（最好的 %2 个单元格）</translation>
    </message>
    <message>
        <source>Accuracy by the number of votes counted</source>
        <translation>准确率与计入的投票数</translation>
    </message>
    <message>
        <source>votes (the first k samples of each question)</source>
        <translation>投票数（每题的前 k 个采样）</translation>
    </message>
    <message>
        <source>Accuracy by votes: no cell has more than one sample per question (add a decoding such as &quot;5 votes, T=0.7&quot;)</source>
        <translation>按投票数的准确率：没有单元格每题采样多于一次（请添加如“5 votes, T=0.7”的解码设置）</translation>
    </message>
</context>
<context>
    <name>wbui::CompareHistory</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Cells</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始于</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完成于</translation>
    </message>
    <message>
        <source>Double-click a run to open it; select two to compare them</source>
        <translation>双击运行以打开；选中两个以进行比较</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show the selected run&apos;s results</source>
        <translation>显示所选运行的结果</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the selected run: what is stored is kept, the rest is computed</source>
        <translation>继续所选运行：已保存的结果保留，其余部分重新计算</translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>Put the accuracies of the two selected runs side by side</source>
        <translation>将两个所选运行的准确率并排显示</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected run and its responses (the response cache keeps them)</source>
        <translation>删除所选运行及其回答（响应缓存仍保留它们）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source> (no cache)</source>
        <translation>（不使用缓存）</translation>
    </message>
</context>
<context>
    <name>wbui::CompareMatrix</name>
    <message>
        <source>Click a cell for its questions; Ctrl+click a second cell to compare the two; right-click for more</source>
        <translation>点击单元格查看其问题；按住 Ctrl 点击第二个单元格以比较两者；右键查看更多操作</translation>
    </message>
    <message>
        <source>Model variant</source>
        <translation>模型变体</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>RAG</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>The dimension listed down the rows (the other ones not in the columns are listed beside it)</source>
        <translation>按行列出的维度（不在列中的其他维度列在其旁）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>The dimension across the columns</source>
        <translation>按列排布的维度</translation>
    </message>
    <message>
        <source>Accuracy [95% interval]</source>
        <translation>准确率 [95% 区间]</translation>
    </message>
    <message>
        <source>Correct of answered</source>
        <translation>答对数 / 已答数</translation>
    </message>
    <message>
        <source>Unextracted rate</source>
        <translation>未提取率</translation>
    </message>
    <message>
        <source>Mean output tokens</source>
        <translation>平均输出 token 数</translation>
    </message>
    <message>
        <source>Mean latency</source>
        <translation>平均延迟</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>token/秒</translation>
    </message>
    <message>
        <source>Samples done</source>
        <translation>已完成采样</translation>
    </message>
    <message>
        <source>What each cell shows; the colour is always the accuracy</source>
        <translation>每个单元格显示的内容；颜色始终表示准确率</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Majority vote over a cell&apos;s samples; unextracted samples do not vote; among tied answers the one voted first wins (sample order within a cell, experiment order across cells). No extracted vote = unextracted = wrong. Intervals are 95% Wilson intervals.</source>
        <translation>对单元格的采样做多数投票；未提取出答案的采样不参与投票；票数相同时最先得票的答案胜出（单元格内按采样顺序，跨单元格按实验顺序）。没有提取出的票 = 未提取 = 错误。区间为 95% Wilson 区间。</translation>
    </message>
    <message>
        <source>Best: ★ %1 — %2 (%3)</source>
        <translation>最佳：★ %1 — %2（%3）</translation>
    </message>
    <message>
        <source>%1 cells × %2 questions</source>
        <translation>%1 个单元格 × %2 个问题</translation>
    </message>
    <message>
        <source>Show its questions</source>
        <translation>查看其问题</translation>
    </message>
    <message>
        <source>Compare with…</source>
        <translation>与…比较</translation>
    </message>
</context>
<context>
    <name>wbui::CompareMatrixModel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 / %2 (%3 cached)</source>
        <translation>%1 / %2（%3 个来自缓存）</translation>
    </message>
    <message>
        <source>%1 · %2% done</source>
        <translation>%1 · 已完成 %2%</translation>
    </message>
    <message>
        <source>All cells</source>
        <translation>全部单元格</translation>
    </message>
    <message>
        <source>Ensemble: %1</source>
        <translation>集成：%1</translation>
    </message>
</context>
<context>
    <name>wbui::ComparePairView</name>
    <message>
        <source>Only where they disagree</source>
        <translation>仅显示二者不一致处</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Pick two cells: Ctrl+click them in the matrix, or choose A and B.</source>
        <translation>选择两个单元格：在矩阵中按住 Ctrl 点击它们，或选择 A 和 B。</translation>
    </message>
    <message>
        <source>McNemar&apos;s exact test over the questions both answered: b = A right and B wrong, c = A wrong and B right; p = min(1, 2·P(X ≤ min(b, c))) for X ~ Binomial(b + c, ½). A small p says the difference is unlikely to be chance.</source>
        <translation>对两者都已回答的问题做 McNemar 精确检验：b = A 对且 B 错，c = A 错且 B 对；p = min(1, 2·P(X ≤ min(b, c)))，其中 X ~ Binomial(b + c, ½)。p 越小，差异越不可能出于偶然。</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
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
        <source>Select a question to read both responses</source>
        <translation>选择一个问题以阅读两者的回答</translation>
    </message>
    <message>
        <source>A and B are the same cell; choose another one.</source>
        <translation>A 和 B 是同一个单元格；请另选一个。</translation>
    </message>
    <message>
        <source>&lt;b&gt;McNemar p = %1&lt;/b&gt; · b (only A right) = %2 · c (only B right) = %3 · both right %4 · both wrong %5 · paired %6 · A %7 vs B %8</source>
        <translation>&lt;b&gt;McNemar p = %1&lt;/b&gt; · b（仅 A 对）= %2 · c（仅 B 对）= %3 · 都对 %4 · 都错 %5 · 配对 %6 · A %7 对 B %8</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Vote: %1 · %2</source>
        <translation>投票：%1 · %2</translation>
    </message>
    <message>
        <source>none (unextracted)</source>
        <translation>无（未提取）</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Sample %1</source>
        <translation>采样 %1</translation>
    </message>
    <message>
        <source>extracted: %1</source>
        <translation>提取：%1</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>wbui::CompareQuestionView</name>
    <message>
        <source>Click a cell of the matrix to see its questions.</source>
        <translation>点击矩阵中的单元格以查看其问题。</translation>
    </message>
    <message>
        <source>Only wrong answers</source>
        <translation>仅显示答错的</translation>
    </message>
    <message>
        <source>Select a question to read the full responses</source>
        <translation>选择一个问题以阅读完整回答</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2 · %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2 · %3</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
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
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>S%1</source>
        <translation>S%1</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Vote</source>
        <translation>投票</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>Retrieved</source>
        <translation>检索到的</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s): %1</source>
        <translation>
            <numerusform>%n 个块：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Retrieved chunks</source>
        <translation>检索到的块</translation>
    </message>
    <message>
        <source>Question %1 · %2 · expected %3</source>
        <translation>问题 %1 · %2 · 期望答案 %3</translation>
    </message>
    <message>
        <source>Vote: %1 · %2</source>
        <translation>投票：%1 · %2</translation>
    </message>
    <message>
        <source>none (unextracted)</source>
        <translation>无（未提取）</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>extracted: %1</source>
        <translation>提取：%1</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>结束原因：%1</translation>
    </message>
    <message>
        <source>%1 prompt + %2 output tokens</source>
        <translation>提示 %1 + 输出 %2 个 token</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>from the cache</source>
        <translation>来自缓存</translation>
    </message>
    <message>
        <source>Sample %1</source>
        <translation>采样 %1</translation>
    </message>
    <message>
        <source>Log-likelihoods:</source>
        <translation>对数似然：</translation>
    </message>
</context>
<context>
    <name>wbui::CompareTab</name>
    <message>
        <source>Experiments saved in this workspace; choosing one loads it</source>
        <translation>此工作区中保存的实验；选择一个即加载</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the experiment in the workspace under its name</source>
        <translation>以实验名称将其保存到工作区</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save experiment as</source>
        <translation>实验另存为</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Load from JSON file…</source>
        <translation>从 JSON 文件加载…</translation>
    </message>
    <message>
        <source>Load experiment</source>
        <translation>加载实验</translation>
    </message>
    <message>
        <source>Experiment (*.json);;All files (*)</source>
        <translation>实验 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save to JSON file…</source>
        <translation>保存为 JSON 文件…</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>Experiment (*.json)</source>
        <translation>实验 (*.json)</translation>
    </message>
    <message>
        <source>Delete saved experiment</source>
        <translation>删除已保存的实验</translation>
    </message>
    <message>
        <source>Delete experiment</source>
        <translation>删除实验</translation>
    </message>
    <message>
        <source>Delete the saved experiment %1? Its runs stay.</source>
        <translation>删除已保存的实验 %1？其运行记录会保留。</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>What a run of this experiment will ask for, counted without loading a model; cached responses are reused unless &quot;No cache&quot; is ticked</source>
        <translation>运行此实验需要的调用，无需加载模型即可统计；除非勾选“不使用缓存”，否则会复用已缓存的回答</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU %1 (CUDA)</source>
        <translation>GPU %1 (CUDA)</translation>
    </message>
    <message>
        <source>Where local models run (remote endpoints run on their server)</source>
        <translation>本地模型在何处运行（远程端点在其服务器上运行）</translation>
    </message>
    <message>
        <source>No cache</source>
        <translation>不使用缓存</translation>
    </message>
    <message>
        <source>Ask every model again: neither read nor write the response cache</source>
        <translation>重新询问每个模型：既不读取也不写入响应缓存</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the run; what is stored is kept and Resume continues it</source>
        <translation>停止运行；已保存的结果会保留，“继续”可接着运行</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue the shown run (stopped, interrupted or failed)</source>
        <translation>继续当前显示的运行（已停止、被中断或失败的）</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Record a new run of this experiment and run it</source>
        <translation>为此实验记录一次新运行并执行</translation>
    </message>
    <message>
        <source>No run shown</source>
        <translation>未显示运行</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Results as CSV…</source>
        <translation>结果导出为 CSV…</translation>
    </message>
    <message>
        <source>Results as JSON…</source>
        <translation>结果导出为 JSON…</translation>
    </message>
    <message>
        <source>Results as Markdown…</source>
        <translation>结果导出为 Markdown…</translation>
    </message>
    <message>
        <source>Submission file of the selected cell…</source>
        <translation>所选单元格的提交文件…</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Two cells</source>
        <translation>两个单元格</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>&lt;i&gt;Counting…&lt;/i&gt;</source>
        <translation>&lt;i&gt;正在统计…&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Plan the comparison</source>
        <translation>规划对比</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; cells × &lt;b&gt;%2&lt;/b&gt; questions = &lt;b&gt;%3&lt;/b&gt; calls · %4 cached · &lt;b&gt;%5&lt;/b&gt; to compute</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; 个单元格 × &lt;b&gt;%2&lt;/b&gt; 个问题 = &lt;b&gt;%3&lt;/b&gt; 次调用 · %4 次已缓存 · &lt;b&gt;%5&lt;/b&gt; 次待计算</translation>
    </message>
    <message>
        <source>Read the training runs</source>
        <translation>读取训练运行</translation>
    </message>
    <message>
        <source>Cannot read the saved experiments: %1</source>
        <translation>无法读取已保存的实验：%1</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Saved the experiment %1.</source>
        <translation>已保存实验 %1。</translation>
    </message>
    <message>
        <source>There is no saved experiment %1.</source>
        <translation>没有名为 %1 的已保存实验。</translation>
    </message>
    <message>
        <source>Cannot load %1: %2</source>
        <translation>无法加载 %1：%2</translation>
    </message>
    <message>
        <source>Loaded %1. Save keeps it in the workspace.</source>
        <translation>已加载 %1。点击“保存”将其保存到工作区。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Wrote %1 (run it with `llmwb compare run %1`).</source>
        <translation>已写入 %1（用 `llmwb compare run %1` 运行）。</translation>
    </message>
    <message>
        <source>Open a run first.</source>
        <translation>请先打开一个运行。</translation>
    </message>
    <message>
        <source>Exported %1.</source>
        <translation>已导出 %1。</translation>
    </message>
    <message>
        <source>Wrote the submission file %1.</source>
        <translation>已写入提交文件 %1。</translation>
    </message>
    <message>
        <source>Save submission file</source>
        <translation>保存提交文件</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON lines (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>The API key goes to the system keychain, never into the workspace.</source>
        <translation>API 密钥保存在系统钥匙串中，绝不写入工作区。</translation>
    </message>
    <message>
        <source>No keychain is available (%1): an API key typed here is kept in memory for this session only, never written to the workspace. Or name an environment variable.</source>
        <translation>没有可用的钥匙串（%1）：此处输入的 API 密钥仅在本次会话中保存在内存里，绝不写入工作区。也可以指定一个环境变量。</translation>
    </message>
    <message>
        <source>Added the remote endpoint %1.</source>
        <translation>已添加远程端点 %1。</translation>
    </message>
    <message>
        <source>Added the remote endpoint %1; its key is in the system keychain.</source>
        <translation>已添加远程端点 %1；其密钥保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>Added the remote endpoint %1. The keychain is unavailable (%2): its key is kept in memory for this session only and is not written to the workspace.</source>
        <translation>已添加远程端点 %1。钥匙串不可用（%2）：其密钥仅在本次会话中保存在内存里，不会写入工作区。</translation>
    </message>
    <message>
        <source>A run is in progress; stop it first.</source>
        <translation>有运行正在进行；请先停止它。</translation>
    </message>
    <message>
        <source>Record a comparison run</source>
        <translation>记录一次对比运行</translation>
    </message>
    <message>
        <source>Preparing the run (reading the dataset, checking the models)…</source>
        <translation>正在准备运行（读取数据集、检查模型）…</translation>
    </message>
    <message>
        <source>Cannot start: %1</source>
        <translation>无法开始：%1</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Running. Stop keeps every stored response; Resume continues.</source>
        <translation>运行中。“停止”会保留所有已保存的回答；“继续”可接着运行。</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>将在当前批次完成后停止…</translation>
    </message>
    <message>
        <source>waiting for the device…</source>
        <translation>等待设备空闲…</translation>
    </message>
    <message>
        <source>%1 / %2 samples</source>
        <translation>%1 / %2 个采样</translation>
    </message>
    <message>
        <source>Running.</source>
        <translation>运行中。</translation>
    </message>
    <message>
        <source>This cell: %1 / %2 samples.</source>
        <translation>当前单元格：%1 / %2 个采样。</translation>
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
        <source>Finished.</source>
        <translation>已完成。</translation>
    </message>
    <message>
        <source>Stopped. Everything computed is stored; Resume continues the run.</source>
        <translation>已停止。所有已计算的结果都已保存；“继续”可接着运行。</translation>
    </message>
    <message>
        <source>The run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>用时 %1</translation>
    </message>
    <message>
        <source>Read the results of %1</source>
        <translation>读取 %1 的结果</translation>
    </message>
    <message>
        <source>Cannot read the results: %1</source>
        <translation>无法读取结果：%1</translation>
    </message>
    <message>
        <source>Finished %1.</source>
        <translation>已于 %1 完成。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Not finished: Resume continues it.</source>
        <translation>未完成：“继续”可接着运行。</translation>
    </message>
    <message>
        <source>Cannot read the runs: %1</source>
        <translation>无法读取运行：%1</translation>
    </message>
    <message>
        <source>Runs (%1)</source>
        <translation>运行（%1）</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Delete the run %1 and its stored responses? The response cache keeps them.</source>
        <translation>删除运行 %1 及其保存的回答？响应缓存仍会保留它们。</translation>
    </message>
    <message>
        <source>Read the results of %1 and %2</source>
        <translation>读取 %1 和 %2 的结果</translation>
    </message>
</context>
<context>
    <name>wbui::CompareText</name>
    <message>
        <source>RAG off</source>
        <translation>不使用 RAG</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>%1 × T=%2</source>
        <translation>%1 × T=%2</translation>
    </message>
    <message>
        <source>Ensemble of %1</source>
        <translation>由 %1 组成的集成</translation>
    </message>
    <message>
        <source>Accuracy: %1 (%2 of %3 answered)</source>
        <translation>准确率：%1（已答 %3 题中答对 %2 题）</translation>
    </message>
    <message>
        <source>95% interval (Wilson): %1 – %2</source>
        <translation>95% 区间（Wilson）：%1 – %2</translation>
    </message>
    <message>
        <source>Unextracted: %1 (%2)</source>
        <translation>未提取：%1（%2）</translation>
    </message>
    <message>
        <source>Mean output tokens: %1</source>
        <translation>平均输出 token 数：%1</translation>
    </message>
    <message>
        <source>Mean latency: %1 s · first token %2 s</source>
        <translation>平均延迟：%1 秒 · 首个 token %2 秒</translation>
    </message>
    <message>
        <source>Tokens/s: %1</source>
        <translation>token/秒：%1</translation>
    </message>
    <message>
        <source>Samples: %1 of %2 done (%3 from the cache), %4 per question</source>
        <translation>采样：已完成 %1 / %2（%3 个来自缓存），每题 %4 个</translation>
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
    <name>wbui::DecodingTable</name>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>T</source>
        <translation>T</translation>
    </message>
    <message>
        <source>top-p</source>
        <translation>top-p</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>One row per decoding. Temperature 0 is greedy (one sample). With several samples each question is answered that many times and the answers vote; sample s draws with seed + s.</source>
        <translation>每行一种解码设置。温度 0 为贪心解码（一个采样）。多个采样时每题回答相应次数并投票；第 s 个采样使用种子 seed + s。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>5 votes, T=0.7</source>
        <translation>5 票，T=0.7</translation>
    </message>
    <message>
        <source>10 votes, T=1.0, top-p 0.95</source>
        <translation>10 票，T=1.0，top-p 0.95</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>wbui::ExperimentBuilder</name>
    <message>
        <source>The experiment&apos;s name; runs are named after it</source>
        <translation>实验名称；运行以它命名</translation>
    </message>
    <message>
        <source>A logic-reasoning dataset of the workspace; every sub-question is one question of the matrix</source>
        <translation>工作区中的逻辑推理数据集；每个子问题是矩阵中的一个问题</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>eval</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Which problems: all, or one side of the split `llmwb train` makes (10% held out, seed 42)</source>
        <translation>使用哪些题目：全部，或 `llmwb train` 划分出的某一部分（留出 10%，种子 42）</translation>
    </message>
    <message>
        <source>At most this many problems (the first ones); all: no limit</source>
        <translation>最多使用这么多道题目（取前面的）；全部：不限</translation>
    </message>
    <message>
        <source>generate (answers, then extraction)</source>
        <translation>generate（生成回答后提取）</translation>
    </message>
    <message>
        <source>loglik (option letters&apos; log-likelihood)</source>
        <translation>loglik（选项字母的对数似然）</translation>
    </message>
    <message>
        <source>generate: the model writes an answer and the option letter is extracted from it; loglik: the option whose letter is most likely (deterministic, one pass, local models only)</source>
        <translation>generate：模型写出回答，再从中提取选项字母；loglik：取字母概率最高的选项（确定性，单次前向，仅限本地模型）</translation>
    </message>
    <message>
        <source>Data and method</source>
        <translation>数据与方法</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Model variants</source>
        <translation>模型变体</translation>
    </message>
    <message>
        <source>Tick every template to compare</source>
        <translation>勾选要比较的每个模板</translation>
    </message>
    <message>
        <source>Wrap prompts in the model&apos;s chat template</source>
        <translation>用模型的对话模板包装提示词</translation>
    </message>
    <message>
        <source>Prompt templates</source>
        <translation>提示词模板</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>Tick &quot;off&quot; and/or collections: each ticked setting is a column of cells. k chunks of the collection fill {{context}} in the template.</source>
        <translation>勾选“关闭”和/或集合：每个勾选的设置对应一列单元格。集合中的 k 个块会填入模板中的 {{context}}。</translation>
    </message>
    <message>
        <source>Retrieval (RAG)</source>
        <translation>检索（RAG）</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Member cells</source>
        <translation>成员单元格</translation>
    </message>
    <message>
        <source>An ensemble votes across cells: each member cell&apos;s vote counts once, in member order. Members are cell ids: c0, c1, … in the order variants × templates × RAG × decoding.</source>
        <translation>集成在多个单元格之间投票：每个成员单元格的投票计一次，按成员顺序。成员为单元格编号：c0、c1、…，顺序为 变体 × 模板 × RAG × 解码。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add an ensemble of every cell</source>
        <translation>添加由全部单元格组成的集成</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>ensemble %1</source>
        <translation>集成 %1</translation>
    </message>
    <message>
        <source>Ensembles (optional)</source>
        <translation>集成（可选）</translation>
    </message>
    <message>
        <source>Local model: %1</source>
        <translation>本地模型：%1</translation>
    </message>
    <message>
        <source>Broken model folder</source>
        <translation>损坏的模型文件夹</translation>
    </message>
    <message>
        <source>Remote endpoint: %1 at %2</source>
        <translation>远程端点：%1，位于 %2</translation>
    </message>
    <message>
        <source>Not in this workspace</source>
        <translation>不在此工作区中</translation>
    </message>
    <message>
        <source>off (no retrieval)</source>
        <translation>关闭（不检索）</translation>
    </message>
    <message>
        <source>Choose a dataset.</source>
        <translation>请选择数据集。</translation>
    </message>
    <message>
        <source>Add at least one model variant.</source>
        <translation>请至少添加一个模型变体。</translation>
    </message>
    <message>
        <source>Tick at least one prompt template.</source>
        <translation>请至少勾选一个提示词模板。</translation>
    </message>
    <message>
        <source>Tick at least one RAG setting (&quot;off&quot; for none).</source>
        <translation>请至少勾选一个 RAG 设置（不检索请选“关闭”）。</translation>
    </message>
    <message>
        <source>Add at least one decoding.</source>
        <translation>请至少添加一种解码设置。</translation>
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
    <message>
        <source>Compare</source>
        <translation>对比</translation>
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
    <message>
        <source>remote %1 at %2</source>
        <translation>远程 %1，位于 %2</translation>
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
    <message>
        <source>Serve…</source>
        <translation>服务…</translation>
    </message>
    <message>
        <source>Serve this model (and its adapters) behind an OpenAI-compatible API</source>
        <translation>通过 OpenAI 兼容的 API 提供此模型（及其适配器）</translation>
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
    <message>
        <source>remote: %1 at %2</source>
        <translation>远程：%1，位于 %2</translation>
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
    <name>wbui::RemoteEndpointDialog</name>
    <message>
        <source>Add remote endpoint</source>
        <translation>添加远程端点</translation>
    </message>
    <message>
        <source>e.g. qwen-vllm</source>
        <translation>例如 qwen-vllm</translation>
    </message>
    <message>
        <source>The name variants pick it by; unique among models and endpoints</source>
        <translation>变体用来选择它的名称；在模型和端点中唯一</translation>
    </message>
    <message>
        <source>The server&apos;s OpenAI-compatible base URL (a trailing /v1 is optional)</source>
        <translation>服务器的 OpenAI 兼容基础 URL（末尾的 /v1 可省略）</translation>
    </message>
    <message>
        <source>the server&apos;s model id, e.g. Qwen/Qwen2.5-7B-Instruct</source>
        <translation>服务器上的模型 ID，例如 Qwen/Qwen2.5-7B-Instruct</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Kept in the system keychain, never in the workspace</source>
        <translation>保存在系统钥匙串中，绝不写入工作区</translation>
    </message>
    <message>
        <source>optional, e.g. OPENAI_API_KEY</source>
        <translation>可选，例如 OPENAI_API_KEY</translation>
    </message>
    <message>
        <source>An environment variable holding the key, for `llmwb` and when the keychain has none</source>
        <translation>存放密钥的环境变量，供 `llmwb` 使用，或在钥匙串中没有密钥时使用</translation>
    </message>
    <message>
        <source>Requests in flight at once</source>
        <translation>同时进行的请求数</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Requests per minute at most</source>
        <translation>每分钟最多请求数</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>How long one request may take</source>
        <translation>单个请求的最长耗时</translation>
    </message>
    <message>
        <source>Further attempts after 429, 5xx and connection errors, with exponential backoff</source>
        <translation>遇到 429、5xx 和连接错误后的重试次数（指数退避）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Key variable</source>
        <translation>密钥变量</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发数</translation>
    </message>
    <message>
        <source>Requests/minute</source>
        <translation>请求数/分钟</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>The endpoint needs a name.</source>
        <translation>端点需要一个名称。</translation>
    </message>
</context>
<context>
    <name>wbui::RunDeltaDialog</name>
    <message>
        <source>Compare runs: %1 and %2</source>
        <translation>比较运行：%1 与 %2</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>Difference (points)</source>
        <translation>差值（百分点）</translation>
    </message>
    <message>
        <source>Cells are matched by their label. McNemar&apos;s test needs both cells in one run: put both variants in one experiment for it.</source>
        <translation>单元格按标签匹配。McNemar 检验需要两个单元格在同一次运行中：请将两个变体放在同一个实验里。</translation>
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
    <name>wbui::ServePanel</name>
    <message>
        <source>Serve %1</source>
        <translation>服务 %1</translation>
    </message>
    <message>
        <source>127.0.0.1 answers this computer only; 0.0.0.0 the network, which needs an API key</source>
        <translation>127.0.0.1 只响应本机；0.0.0.0 响应整个网络，需要 API 密钥</translation>
    </message>
    <message>
        <source>none (loopback only)</source>
        <translation>无（仅限本机回环）</translation>
    </message>
    <message>
        <source>Checked training runs are served too, each under its own name</source>
        <translation>勾选的训练运行也会一并提供，各用自己的名称</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Batch rows</source>
        <translation>批处理行数</translation>
    </message>
    <message>
        <source>Adapters</source>
        <translation>适配器</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Not serving.</source>
        <translation>未在服务。</translation>
    </message>
    <message>
        <source>Requests appear here as they are answered.</source>
        <translation>请求在得到响应后显示在这里。</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Could not start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <source>Serving %1 at &lt;b&gt;%2/v1&lt;/b&gt; (models: %3)</source>
        <translation>正在 &lt;b&gt;%2/v1&lt;/b&gt; 提供 %1（模型：%3）</translation>
    </message>
    <message>
        <source>  %1 + %2 tokens</source>
        <translation>  %1 + %2 个词元</translation>
    </message>
    <message>
        <source>%1 active, %2 queued (of %3 rows) · %4 tokens/s · %5 tokens in %6 requests</source>
        <translation>%1 个进行中，%2 个排队（共 %3 行）· %4 词元/秒 · %6 个请求共 %5 个词元</translation>
    </message>
    <message>
        <source>Stopping: running streams get up to 5 s to finish…</source>
        <translation>正在停止：进行中的流最多还有 5 秒完成…</translation>
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
<context>
    <name>wbui::VariantTable</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Adapter</source>
        <translation>适配器</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>One row per model variant. Model: a workspace model, a remote endpoint, or a model folder typed in. Adapter: a training run with an adapter, or a PEFT folder. Label: the name in the matrix (empty: model + adapter).</source>
        <translation>每行一个模型变体。模型：工作区模型、远程端点，或输入的模型文件夹。适配器：带适配器的训练运行，或 PEFT 文件夹。标签：矩阵中显示的名称（留空：模型 + 适配器）。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add a model variant</source>
        <translation>添加一个模型变体</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected variant</source>
        <translation>移除所选变体</translation>
    </message>
    <message>
        <source>Add remote endpoint…</source>
        <translation>添加远程端点…</translation>
    </message>
    <message>
        <source>Register an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, a hosted API) as a model</source>
        <translation>将 OpenAI 兼容服务器（vLLM、Ollama、llama.cpp server、托管 API）注册为模型</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
</TS>
