// End-to-end test of PySpark in the terminal dock: the release build in real headless Chromium.
// A learner fills a topic with keyed JSON orders, starts `pyspark`, reads the topic as a batch
// (show), starts a streaming query with the console sink, produces one more order from a second
// tab and sees the next micro-batch printed by the page's timer, then leaves the shell. Also
// runs a heredoc program, as the course's notes are pasted.
//
//   node tests/e2e/pyspark.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openPage, openSite } from './site.mjs';
import { INPUT, run, expectLine as expectTermLine } from './term.mjs';

const BOOTSTRAP = '--bootstrap-server localhost:9092';
const READ = 'spark.read.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "orders").load()';

// A stream into a table with a checkpoint; prints the table's rows, the last batch and its
// input rows.
const BRONZE = `pyspark <<'EOF'
q = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "orders").option("startingOffsets", "earliest").load().selectExpr("CAST(value AS STRING) AS value").writeStream.format("delta").option("checkpointLocation", "/checkpoints/bronze").toTable("orders_bronze")
q.processAllAvailable()
print(spark.table("orders_bronze").count(), q.lastProgress["batchId"], q.lastProgress["numInputRows"])
EOF`;

const { url, artefactDir, browser, server, fail } = await openSite('pyspark');
const expectLine = (page, stream, text, what, options) => expectTermLine(page, stream, text, what, fail, options);
try {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const { context, page, problems } = await openPage(browser, width, height);

    await page.goto(`${url}#/terminal`, { waitUntil: 'load' });
    await page.waitForSelector(INPUT, { timeout: 20000 });
    await run(page, `kafka-topics.sh ${BOOTSTRAP} --create --topic orders --partitions 1`);
    await expectLine(page, 'stdout', 'Created topic orders.', 'creating the topic');
    await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders --property parse.key=true --property key.separator=: <<EOF\n1:{"order_id": 1, "city": "chicago"}\n2:{"order_id": 2, "city": "denver"}\nEOF`);

    // The shell: its banner, then Python's prompt.
    await run(page, 'pyspark');
    await expectLine(page, 'stdout', "SparkSession available as 'spark'.", 'the pyspark banner');
    const prompt = await page.textContent('[data-testid="terminal-prompt"]');
    if (prompt !== '>>> ') fail(`inside pyspark the prompt reads ${JSON.stringify(prompt)}`);

    // A batch read, shown as Spark's table.
    await run(page, `${READ}.selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)").show(truncate=False)`);
    await expectLine(page, 'stdout', '|1  |{"order_id": 1, "city": "chicago"}|', 'show() of the batch read');

    // A streaming query: the page's timer runs its micro-batches.
    await run(page, 'q = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "orders").option("startingOffsets", "earliest").load().selectExpr("CAST(value AS STRING)").writeStream.format("console").start()');
    await expectLine(page, 'stdout', 'Batch: 0', 'the first micro-batch', { timeout: 10000 });
    await page.screenshot({ path: path.join(artefactDir, `pyspark-stream-${width}.png`) });

    // One more order from a second terminal tab: the next batch shows in the shell's tab.
    await page.click('button.term-new');
    await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders <<EOF\n{"order_id": 3, "city": "chicago"}\nEOF`);
    await page.click('.term-tab >> nth=0 >> button[role="tab"]');
    await expectLine(page, 'stdout', 'Batch: 1', 'the micro-batch of the new order', { timeout: 10000 });
    await expectLine(page, 'stdout', '|{"order_id": 3, "...|', 'the new order in the console sink');

    await run(page, 'q.stop()');
    await run(page, 'exit()');
    await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '$ ');

    // A pasted program: one heredoc, no banner, no prompts.
    await run(page, `pyspark <<'EOF'\ndf = ${READ}\nprint(df.count())\nEOF`);
    await expectLine(page, 'stdout', '3', 'count() in a heredoc program');

    // The Terminal page's Spark step: the course's first stream, pasted as a heredoc.
    await run(page, 'clear');
    await page.click('.term-example:has-text("Read it with Spark")');
    await page.press(INPUT, 'Enter');
    await expectLine(page, 'stdout', 'Batch: 0', "the page's Spark step");
    await expectLine(page, 'stdout', '|   1|{"order_id": 1, "...|', "the page's Spark step's rows");
    await page.screenshot({ path: path.join(artefactDir, `pyspark-${width}.png`) });

    // A table and a checkpoint survive a reload: the query started again reads only what is
    // new (batch 1, one record), as Spark's does over its checkpoint.
    await run(page, 'clear');
    await run(page, BRONZE);
    await expectLine(page, 'stdout', '3 0 3', 'the first run into the table');
    await page.waitForTimeout(1500);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector(INPUT, { timeout: 20000 });
    await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders <<EOF\n{"order_id": 4, "city": "denver"}\nEOF`);
    await run(page, BRONZE);
    await expectLine(page, 'stdout', '4 1 1', 'the run after a reload');

    // The course's filter to a topic, pasted as a program: the Kafka sink fills the topic.
    await run(page, `kafka-topics.sh ${BOOTSTRAP} --create --topic chicago_orders`);
    await run(page, `pyspark <<'EOF'
q = spark.readStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("subscribe", "orders").option("startingOffsets", "earliest").load().selectExpr("key", "value").where("CAST(value AS STRING) LIKE '%chicago%'").writeStream.format("kafka").option("kafka.bootstrap.servers", "localhost:9092").option("topic", "chicago_orders").option("checkpointLocation", "/checkpoints/chicago").start()
q.processAllAvailable()
print("chicago", q.lastProgress["sink"]["numOutputRows"])
EOF`);
    await expectLine(page, 'stdout', 'chicago 2', 'the Kafka sink in a program');
    await run(page, `kafka-console-consumer.sh ${BOOTSTRAP} --topic chicago_orders --from-beginning --max-messages 2`);
    await expectLine(page, 'stdout', '{"order_id": 3, "city": "chicago"}', 'the Chicago topic read back');
    if (problems.length) fail(problems.join('\n'));
    await context.close();
  }
  console.log('e2e pyspark: ok');
} finally {
  await browser.close();
  server.close();
}
