//! Layout throughput: a mixed Chinese/English text of about 8 MB laid out at 80 columns.
//! Set `FANGTAN_BENCH_FILE` to measure a real document instead of the built-in paragraphs.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fangtan::layout::layout;
use fangtan::width::AmbiguousWidth;

const TARGET_BYTES: usize = 8 << 20;

const BUILT_IN: &str = "\
主持人：欢迎回到节目。今天我们请到了一位做了二十多年数据库的工程师，聊聊“慢查询”到底慢在哪里。
嘉宾：谢谢邀请。其实大部分时候不是数据库慢，而是我们问错了问题——比如一次把 300 万行都拉回来，再在应用里过滤。
主持人：那你们团队是怎么发现的？有没有什么工具，比如 EXPLAIN ANALYZE 之类的？
嘉宾：有的。我们先看执行计划，再看缓存命中率；命中率低于 90% 的时候，基本上就要从索引下手了。\
Then there is the network: a round trip of 2 ms sounds small, until you do it ten thousand times in a loop.
主持人：我记得你在一篇文章里写过，《少即是多》这个原则对 schema 设计同样适用……能展开说说吗？
嘉宾：可以。字段越少，每页放的行就越多，I/O 就越少。很多人喜欢预留十几个“扩展字段”，结果一张表宽到 2 KB，扫描的时候全是浪费。
Host: Let's switch to English for our listeners abroad. What would you tell a junior engineer on day one?
Guest: Measure before you change anything. Write down the number, make one change, measure again. It is boring, and it works.
主持人：最后一个问题：如果只能推荐一本书，你会推荐哪本？
嘉宾：我会推荐一本讲排队论的入门书（书名我就不说了，免得像广告）。理解了排队，就理解了一半的性能问题。
";

fn input() -> String {
    let base = std::env::var("FANGTAN_BENCH_FILE")
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_else(|| BUILT_IN.to_string());
    let mut text = String::with_capacity(TARGET_BYTES + base.len());
    while text.len() < TARGET_BYTES {
        text.push_str(&base);
        if !base.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

fn bench_layout(c: &mut Criterion) {
    let text = input();
    let mut group = c.benchmark_group("layout");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("mixed_zh_en_width_80", |b| {
        b.iter(|| {
            let mut rows = 0usize;
            for para in text.lines() {
                rows += layout(black_box(para), 80, AmbiguousWidth::Narrow).len();
            }
            rows
        })
    });
    // the floor: ICU4X's line segmenter alone over the same text
    group.bench_function("icu4x_segmenter_only", |b| {
        let mut options = icu_segmenter::options::LineBreakOptions::default();
        options.strictness = Some(icu_segmenter::options::LineBreakStrictness::Normal);
        let segmenter = icu_segmenter::LineSegmenter::new_for_non_complex_scripts(options);
        b.iter(|| {
            let mut n = 0usize;
            for para in text.lines() {
                n += segmenter.segment_str(black_box(para)).count();
            }
            n
        })
    });
    group.finish();
}

criterion_group!(benches, bench_layout);
criterion_main!(benches);
