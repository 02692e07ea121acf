//! Numbers as Chinese texts write them: Arabic digits (`1,500`, `41.06`) and Chinese numerals
//! (`九`, `三十`, `两千五百`, `十四亿`), with the magnitudes 万 and 亿.

/// Characters of Chinese numerals (digits and units up to 亿).
pub const NUMERAL_CHARS: &str = "零〇一二两三四五六七八九十百千万亿";

/// The value of one Chinese digit.
fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The multiplier a magnitude word stands for (`万` → 10⁴, `亿` → 10⁸, `万亿` → 10¹²).
pub fn magnitude(word: &str) -> Option<f64> {
    Some(match word {
        "十" => 1e1,
        "百" => 1e2,
        "千" => 1e3,
        "万" => 1e4,
        "十万" => 1e5,
        "百万" => 1e6,
        "千万" => 1e7,
        "亿" => 1e8,
        "十亿" => 1e9,
        "百亿" => 1e10,
        "千亿" => 1e11,
        "万亿" => 1e12,
        _ => return None,
    })
}

/// The value of a Chinese numeral (`三十` → 30, `两千五百` → 2500, `十四亿` → 1.4e9, `二〇二四`
/// → 2024). `None` when the characters do not form a number.
pub fn chinese_numeral(text: &str) -> Option<f64> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return None;
    }
    // Digit by digit (二〇二四), when there is no unit character at all; two or three digits
    // in a row without a zero are an estimate (三四个), not a number.
    if chars.iter().all(|c| digit(*c).is_some()) {
        if chars.len() == 1 {
            return digit(chars[0]).map(|d| d as f64);
        }
        if chars.len() < 4 && !chars.iter().any(|c| matches!(c, '零' | '〇')) {
            return None;
        }
        return chars.iter().try_fold(0u64, |acc, c| Some(acc * 10 + digit(*c)?)).map(|v| v as f64);
    }
    let mut total: f64 = 0.0; // completed 亿 sections
    let mut section: f64 = 0.0; // completed 万 sections below the current 亿
    let mut small: u64 = 0; // below 万
    let mut pending: Option<u64> = None;
    for &c in &chars {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row (三四): not a number
            }
            pending = if d == 0 { pending } else { Some(d) };
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                section += (small + pending.take().unwrap_or(0)) as f64 * 1e4;
                small = 0;
                continue;
            }
            '亿' => {
                total += (section + (small + pending.take().unwrap_or(0)) as f64) * 1e8;
                section = 0.0;
                small = 0;
                continue;
            }
            _ => return None,
        };
        small += pending.take().unwrap_or(1) * unit;
    }
    let value = total + section + (small + pending.unwrap_or(0)) as f64;
    (value > 0.0 || chars.iter().any(|c| matches!(c, '零' | '〇'))).then_some(value)
}

/// The value of Arabic digits with optional thousands separators and decimals (`1,500.5`).
pub fn arabic(text: &str) -> Option<f64> {
    text.replace([',', '，'], "").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_read_as_numbers() {
        let cases = [
            ("九", Some(9.0)),
            ("十", Some(10.0)),
            ("十四", Some(14.0)),
            ("三十", Some(30.0)),
            ("两千五百", Some(2500.0)),
            ("一百零五", Some(105.0)),
            ("十四亿", Some(1.4e9)),
            ("三万五千", Some(35000.0)),
            ("二〇二四", Some(2024.0)),
            ("千", Some(1000.0)),
            ("三四", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(chinese_numeral(text), want, "{text}");
        }
    }

    #[test]
    fn arabic_numbers_allow_separators() {
        assert_eq!(arabic("1,500"), Some(1500.0));
        assert_eq!(arabic("41.06"), Some(41.06));
        assert_eq!(arabic("4.5.6"), None);
    }

    #[test]
    fn magnitudes() {
        assert_eq!(magnitude("亿"), Some(1e8));
        assert_eq!(magnitude("万亿"), Some(1e12));
        assert_eq!(magnitude("元"), None);
    }
}
