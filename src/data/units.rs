//! Units of concentration. Sources give values in mg/kg, µg/kg, ppm…; comparisons need one scale,
//! so every value is kept as written and converted to the canonical mg/kg (dry weight) on demand.

use std::fmt;

/// A mass-fraction unit a threshold may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    MgPerKg,
    UgPerKg,
    NgPerKg,
    GPerKg,
    Ppm,
    Ppb,
    Percent,
}

impl Unit {
    /// Every unit with the spelling shown to readers; the order of the help text.
    pub const ALL: [Unit; 7] = [
        Unit::MgPerKg,
        Unit::UgPerKg,
        Unit::NgPerKg,
        Unit::GPerKg,
        Unit::Ppm,
        Unit::Ppb,
        Unit::Percent,
    ];

    /// Parses what editors write: `mg/kg`, `µg/kg` (micro sign or Greek mu), `ug/kg`, `mg kg-1`,
    /// `ppm`, `%`… Case of the prefix matters (`Mg/kg` would be megagrams), so it is kept.
    pub fn parse(text: &str) -> Option<Unit> {
        let compact: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                'µ' | 'μ' => 'u',
                '⁻' => '-',
                '¹' => '1',
                '·' => '/',
                c => c,
            })
            .collect();
        let compact = compact
            .strip_suffix("kg-1")
            .map(|s| format!("{}/kg", s.trim_end_matches('/')))
            .unwrap_or(compact);
        match compact.as_str() {
            "mg/kg" => Some(Unit::MgPerKg),
            "ug/kg" => Some(Unit::UgPerKg),
            "ng/kg" => Some(Unit::NgPerKg),
            "g/kg" => Some(Unit::GPerKg),
            "ppm" => Some(Unit::Ppm),
            "ppb" => Some(Unit::Ppb),
            "%" => Some(Unit::Percent),
            _ => None,
        }
    }

    /// How many mg/kg one of this unit is.
    pub fn to_mg_per_kg(self) -> f64 {
        match self {
            Unit::MgPerKg | Unit::Ppm => 1.0,
            Unit::UgPerKg | Unit::Ppb => 1e-3,
            Unit::NgPerKg => 1e-6,
            Unit::GPerKg => 1e3,
            Unit::Percent => 1e4,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::MgPerKg => "mg/kg",
            Unit::UgPerKg => "µg/kg",
            Unit::NgPerKg => "ng/kg",
            Unit::GPerKg => "g/kg",
            Unit::Ppm => "ppm",
            Unit::Ppb => "ppb",
            Unit::Percent => "%",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value as the source wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// The number as written in the data file, so `0.10` is shown as `0.10`.
    pub written: String,
    pub unit: Unit,
}

impl Quantity {
    /// The value in the canonical unit, mg/kg dry weight.
    pub fn mg_per_kg(&self) -> f64 {
        let v = self.value * self.unit.to_mg_per_kg();
        // Round away binary noise from the conversion (0.3 µg/kg → 0.00030000000000000003).
        let digits = 12 - v.abs().log10().ceil() as i32;
        if v == 0.0 || !(0..=20).contains(&digits) {
            return v;
        }
        let scale = 10f64.powi(digits);
        (v * scale).round() / scale
    }
}

/// A number for readers: shortest exact form, thousands grouped (`23,000`, `0.55`, `1,200.5`).
pub fn format_number(value: f64) -> String {
    let plain = format!("{value}");
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_the_same_unit_parse_alike() {
        for s in ["mg/kg", " mg / kg ", "mg kg-1", "mg·kg⁻¹"] {
            assert_eq!(Unit::parse(s), Some(Unit::MgPerKg), "{s}");
        }
        for s in ["µg/kg", "μg/kg", "ug/kg"] {
            assert_eq!(Unit::parse(s), Some(Unit::UgPerKg), "{s}");
        }
        assert_eq!(Unit::parse("ppm"), Some(Unit::Ppm));
        assert_eq!(Unit::parse("Mg/kg"), None);
        assert_eq!(Unit::parse("mg/L"), None);
        assert_eq!(Unit::parse(""), None);
    }

    #[test]
    fn values_convert_to_mg_per_kg() {
        let q = |value: f64, unit| Quantity {
            value,
            written: value.to_string(),
            unit,
        };
        assert_eq!(q(300.0, Unit::UgPerKg).mg_per_kg(), 0.3);
        assert_eq!(q(0.3, Unit::UgPerKg).mg_per_kg(), 0.0003);
        assert_eq!(q(2.5, Unit::GPerKg).mg_per_kg(), 2500.0);
        assert_eq!(q(50.0, Unit::Ppb).mg_per_kg(), 0.05);
        assert_eq!(q(12.0, Unit::Ppm).mg_per_kg(), 12.0);
        assert_eq!(q(0.1, Unit::Percent).mg_per_kg(), 1000.0);
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(format_number(23000.0), "23,000");
        assert_eq!(format_number(0.55), "0.55");
        assert_eq!(format_number(1200.5), "1,200.5");
        assert_eq!(format_number(100.0), "100");
        assert_eq!(format_number(1234567.0), "1,234,567");
    }
}
