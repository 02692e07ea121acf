#!/usr/bin/env python3
"""Deterministic benchmark corpus for static site generators (stdlib only).

Usage:  python3 gen_corpus.py OUT_DIR N [--seeds DIR]

Writes N Chinese policy articles twice:

  OUT_DIR/zola/content/...   Zola layout: TOML front matter (+++), taxonomies
                             in a [taxonomies] table, section _index.md files.
  OUT_DIR/hugo/content/...   Hugo layout: TOML front matter (+++), taxonomies
                             as top-level keys (that is how Hugo reads them),
                             section _index.md files.

The markdown bodies are byte-identical between the two copies; only the
front matter differs.  Each article i is generated from its own RNG seeded
with f"{SEED}:{i}", so the corpus for N is a prefix of the corpus for any
larger N, and output is identical on every run (no dependence on hash seeds,
locale or time).

Body text: sentences taken from the real seed texts (default
../corpus/raw), cleaned of markdown links/URLs, kept only when mostly
Chinese, then shuffled into paragraphs of 2-5 sentences until the article
reaches a target of 1,500-4,000 CJK ideographs.  Articles also get a few
"## " headings, an occasional bullet list, bold phrases, and 0-2 "related
reading" links to earlier articles (plain absolute URLs, valid in both
generators).
"""
import glob
import os
import random
import re
import sys
from datetime import date, timedelta

SEED = "policy-kb-bench-v1"
DEFAULT_SEEDS = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "content")

DOMAINS = ["科学技术", "产业发展", "消费提质", "民生福祉", "治理能力", "全球合作"]

# ~40 distinct Chinese names (distinct after transliteration too, so
# generators that slugify to pinyin do not merge terms).
EXPERTS = [
    "王一鸣", "徐强", "郑南宁", "鄂维南", "李晓华", "陈劲", "刘元春", "张平",
    "赵忠秀", "孙宝文", "周鸿祎", "黄奇帆", "吴志强", "胡鞍钢", "蔡昉", "林毅夫",
    "郭田勇", "何帆", "高培勇", "罗文", "梁建章", "宋志平", "朱民", "夏斌",
    "任泽平", "邓聿文", "冯奎", "韩文秀", "彭森", "曾毅", "薛澜", "谢伏瞻",
    "潘家华", "姚洋", "董煜", "袁岚峰", "田轩", "卢锋", "江小涓", "魏后凯",
]

STATS = [
    "GDP增速", "研发投入强度", "数字经济规模", "算力总规模", "人工智能核心产业规模",
    "5G基站数量", "工业机器人密度", "社会消费品零售总额", "城镇调查失业率",
    "居民人均可支配收入", "高新技术企业数量", "专利授权量", "数据生产总量",
    "智能制造示范工厂数", "网络零售额", "固定资产投资", "制造业增加值占比",
    "外贸进出口总额", "实际使用外资", "科技型中小企业数量", "基础研究经费",
    "PMI指数", "CPI同比", "新能源汽车产量", "集成电路产量", "互联网普及率",
    "政务服务一网通办率", "医疗卫生机构数", "教育经费投入", "碳排放强度",
]

TITLE_PREFIX = ["关于", "深入推进", "加快", "全面实施", "进一步推动", "系统谋划",
                "扎实推进", "统筹推进", "持续深化", "稳步推进"]
TITLE_TOPIC = ["“人工智能+”行动", "新质生产力发展", "数字经济高质量发展",
               "智能制造", "数据要素市场化配置", "算力基础设施建设", "科技创新体系建设",
               "未来产业培育", "智慧城市建设", "数字政府建设", "消费结构升级",
               "公共服务智能化", "产业链供应链韧性", "人工智能安全治理",
               "国际科技合作", "绿色低碳转型", "新型工业化", "普惠金融服务",
               "智慧医疗应用", "教育数字化转型"]
TITLE_SUFFIX = ["的实施意见", "工作方案", "三年行动计划", "政策解读", "专家观点",
                "的若干措施", "的指导意见", "进展综述", "典型案例汇编", "问答"]

HEADINGS = ["总体要求", "重点任务", "主要目标", "保障措施", "政策背景", "专家解读",
            "数据观察", "实践探索", "地方经验", "国际比较", "面临挑战", "下一步工作",
            "典型案例", "基本原则", "组织实施"]

BODY_CAP = 3950   # CJK ideographs; related-reading titles add <= ~50 more

CJK = re.compile(r"[\u4e00-\u9fff]")
SENT = re.compile(r"[^。！？!?]+[。！？!?]+[”’」』）)]*")


def load_pool(seed_dir):
    """Return the sorted, de-duplicated list of Chinese sentences in seed_dir."""
    files = sorted(glob.glob(os.path.join(seed_dir, "*.txt")))
    if not files:
        sys.exit(f"no seed files in {seed_dir}")
    pool = set()
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)   # yaml header
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)               # images
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)           # links
        text = re.sub(r"https?://\S+", "", text)                       # bare urls
        text = text.replace("\ufffd", "")
        lines = []
        for line in text.splitlines():
            line = line.strip().lstrip("#>*-").strip()
            if line:
                lines.append(line)
        # Re-join lines that a PDF extraction broke mid-sentence: a line that
        # does not end with punctuation and is followed by more Chinese text.
        joined, buf = [], ""
        for line in lines:
            buf += line
            if re.search(r"[。！？!?；;：:”]$", buf) or len(CJK.findall(line)) < 12:
                joined.append(buf)
                buf = ""
        if buf:
            joined.append(buf)
        for para in joined:
            for m in SENT.finditer(para):
                s = re.sub(r"\s+", "", m.group(0))
                n_cjk = len(CJK.findall(s))
                if 15 <= n_cjk and len(s) <= 240 and n_cjk >= 0.6 * len(s):
                    pool.add(s)
    pool = sorted(pool)
    if len(pool) < 20:
        sys.exit(f"only {len(pool)} usable sentences in {seed_dir}")
    return pool


def cjk_len(s):
    return len(CJK.findall(s))


def make_article(i, pool, titles):
    rng = random.Random(f"{SEED}:{i}")
    title = (rng.choice(TITLE_PREFIX) + rng.choice(TITLE_TOPIC)
             + rng.choice(TITLE_SUFFIX))
    start = date(2017, 1, 1)
    span = (date(2026, 12, 31) - start).days
    d = start + timedelta(days=rng.randrange(span + 1))
    hh, mm = rng.randrange(8, 20), rng.randrange(60)
    domains = rng.sample(DOMAINS, rng.randint(1, 3))
    experts = rng.sample(EXPERTS, rng.randint(0, 4))
    stats = rng.sample(STATS, rng.randint(0, 5))

    target = rng.randint(1500, BODY_CAP)
    parts, n = [], 0
    lead = "".join(rng.sample(pool, 2))
    parts.append(lead)
    parts.append("<!--more-->")
    n += cjk_len(lead)
    since_heading = 0
    while n < target:
        if since_heading >= rng.randint(2, 4):
            h = rng.choice(HEADINGS)
            parts.append("## " + h)
            n += cjk_len(h)
            since_heading = 0
        # Never let the body (plus <= 2 related-reading titles) pass 4,000
        # CJK characters: drop sentences that would overflow the cap.
        room = BODY_CAP - n
        if rng.random() < 0.12:
            items = rng.sample(pool, 3)
            while items and sum(cjk_len(s) for s in items) > room:
                items.pop()
            if not items:
                break
            parts.append("\n".join("- " + s for s in items))
            n += sum(cjk_len(s) for s in items)
        else:
            sents = rng.sample(pool, rng.randint(2, 5))
            while sents and sum(cjk_len(s) for s in sents) > room:
                sents.pop()
            if not sents:
                break
            if rng.random() < 0.3:
                s = sents[0]
                cut = max(4, min(12, len(s) // 3))
                sents[0] = "**" + s[:cut] + "**" + s[cut:]
            para = "".join(sents)
            parts.append(para)
            n += cjk_len(para)
        since_heading += 1
    if i > 0 and rng.random() < 0.6:
        refs = sorted({rng.randrange(i) for _ in range(rng.randint(1, 2))})
        parts.append("**相关阅读：** " + "；".join(
            f"[{titles[j]}](/posts/a{j:05d}/)" for j in refs))
    body = "\n\n".join(parts) + "\n"
    return {
        "slug": f"a{i:05d}",
        "title": title,
        "date": f"{d.isoformat()}T{hh:02d}:{mm:02d}:00+08:00",
        "domains": domains,
        "experts": experts,
        "stats": stats,
        "body": body,
    }


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(xs):
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


def zola_front(a):
    lines = ["+++", f"title = {toml_str(a['title'])}", f"date = {a['date']}",
             "", "[taxonomies]", f"domains = {toml_list(a['domains'])}"]
    if a["experts"]:
        lines.append(f"experts = {toml_list(a['experts'])}")
    if a["stats"]:
        lines.append(f"stats = {toml_list(a['stats'])}")
    lines.append("+++")
    return "\n".join(lines) + "\n"


def hugo_front(a):
    lines = ["+++", f"title = {toml_str(a['title'])}", f"date = {a['date']}",
             f"domains = {toml_list(a['domains'])}"]
    if a["experts"]:
        lines.append(f"experts = {toml_list(a['experts'])}")
    if a["stats"]:
        lines.append(f"stats = {toml_list(a['stats'])}")
    lines.append("+++")
    return "\n".join(lines) + "\n"


# Section files.  Zola: home lists everything (template reads the posts
# section), posts section is paginated by 100, timeline lists everything
# grouped by year.  Hugo: the same three pages, via layouts.
ZOLA_SECTIONS = {
    "_index.md": '+++\ntitle = "政策知识库"\n+++\n',
    "posts/_index.md": ('+++\ntitle = "全部文章"\nsort_by = "date"\n'
                        'paginate_by = 100\n+++\n'),
    "timeline/_index.md": ('+++\ntitle = "时间线"\ntemplate = "timeline.html"\n'
                           '+++\n'),
}
HUGO_SECTIONS = {
    "_index.md": '+++\ntitle = "政策知识库"\n+++\n',
    "posts/_index.md": '+++\ntitle = "全部文章"\n+++\n',
    "timeline/_index.md": '+++\ntitle = "时间线"\n+++\n',
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def main(argv):
    args = list(argv[1:])
    seed_dir = DEFAULT_SEEDS
    if "--seeds" in args:
        k = args.index("--seeds")
        seed_dir = args[k + 1]
        del args[k:k + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    out, n = args[0], int(args[1])
    pool = load_pool(seed_dir)
    zc = os.path.join(out, "zola", "content")
    hc = os.path.join(out, "hugo", "content")
    for rel, text in ZOLA_SECTIONS.items():
        write(os.path.join(zc, rel), text)
    for rel, text in HUGO_SECTIONS.items():
        write(os.path.join(hc, rel), text)
    titles, total_cjk, total_bytes = [], 0, 0
    for i in range(n):
        a = make_article(i, pool, titles)
        titles.append(a["title"])
        write(os.path.join(zc, "posts", a["slug"] + ".md"), zola_front(a) + a["body"])
        write(os.path.join(hc, "posts", a["slug"] + ".md"), hugo_front(a) + a["body"])
        total_cjk += cjk_len(a["body"])
        total_bytes += len(a["body"].encode("utf-8"))
    print(f"{n} articles, pool {len(pool)} sentences, "
          f"avg {total_cjk / max(n, 1):.0f} CJK chars/article, "
          f"{total_bytes / 1e6:.1f} MB of markdown bodies per copy -> {out}")


if __name__ == "__main__":
    main(sys.argv)
