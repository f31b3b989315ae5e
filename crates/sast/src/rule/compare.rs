//! `metavariable-comparison`: a small Python-like expression language over metavariables.
//!
//! Supports what rules in the field use: comparisons (chained too), `and`/`or`/`not`,
//! arithmetic, `in`/`not in` lists, `int()`, `float()`, `str()`, `len()`, `re.match()`,
//! number, string and boolean literals. Anything else is a load-time error, never a silent
//! false.

use std::fmt;

use regex::Regex;

/// A parsed comparison expression.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Int(i128),
    Float(f64),
    Str(String),
    Bool(bool),
    None,
    Metavar(String),
    List(Vec<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    /// `a < b <= c`: operands and the operators between them.
    Compare(Vec<Expr>, Vec<CmpOp>),
    Arith(Box<Expr>, ArithOp, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    In,
    NotIn,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Func {
    Int,
    Float,
    Str,
    Len,
    ReMatch,
}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i128),
    Float(f64),
    Str(String),
    Bool(bool),
    List(Vec<Value>),
    None,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => f.write_str(s),
            Value::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
            Value::None => f.write_str("None"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl Expr {
    /// Parses a comparison as written in a rule.
    pub fn parse(src: &str) -> Result<Expr, String> {
        let tokens = tokenize(src)?;
        let mut p = Parser { tokens, pos: 0 };
        let e = p.or()?;
        if p.pos != p.tokens.len() {
            return Err(format!("unexpected '{}'", p.tokens[p.pos]));
        }
        Ok(e)
    }

    /// Evaluates with `lookup` giving each metavariable's value; `None` when the expression
    /// cannot be evaluated (an unbound metavariable, a type error), which fails the condition.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<Value>) -> Option<Value> {
        Some(match self {
            Expr::Int(i) => Value::Int(*i),
            Expr::Float(x) => Value::Float(*x),
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::None => Value::None,
            Expr::Metavar(m) => lookup(m)?,
            Expr::List(xs) => Value::List(
                xs.iter()
                    .map(|x| x.eval(lookup))
                    .collect::<Option<Vec<_>>>()?,
            ),
            Expr::Not(x) => Value::Bool(!truthy(&x.eval(lookup)?)),
            Expr::Neg(x) => match x.eval(lookup)? {
                Value::Int(i) => Value::Int(i.checked_neg()?),
                Value::Float(f) => Value::Float(-f),
                _ => return None,
            },
            Expr::And(a, b) => {
                let l = a.eval(lookup)?;
                if truthy(&l) { b.eval(lookup)? } else { l }
            }
            Expr::Or(a, b) => {
                let l = a.eval(lookup)?;
                if truthy(&l) { l } else { b.eval(lookup)? }
            }
            Expr::Compare(xs, ops) => {
                let vals = xs
                    .iter()
                    .map(|x| x.eval(lookup))
                    .collect::<Option<Vec<_>>>()?;
                let mut ok = true;
                for (i, op) in ops.iter().enumerate() {
                    ok &= compare(&vals[i], *op, &vals[i + 1])?;
                }
                Value::Bool(ok)
            }
            Expr::Arith(a, op, b) => arith(&a.eval(lookup)?, *op, &b.eval(lookup)?)?,
            Expr::Call(f, args) => {
                let vals = args
                    .iter()
                    .map(|x| x.eval(lookup))
                    .collect::<Option<Vec<_>>>()?;
                call(*f, &vals)?
            }
        })
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::None => false,
    }
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn compare(a: &Value, op: CmpOp, b: &Value) -> Option<bool> {
    use std::cmp::Ordering;
    let ord = |a: &Value, b: &Value| -> Option<Ordering> {
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
            (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
            _ => as_f64(a)?.partial_cmp(&as_f64(b)?),
        }
    };
    let eq = |a: &Value, b: &Value| match (as_f64(a), as_f64(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    };
    Some(match op {
        CmpOp::Eq => eq(a, b),
        CmpOp::Ne => !eq(a, b),
        CmpOp::Lt => ord(a, b)? == Ordering::Less,
        CmpOp::Le => ord(a, b)? != Ordering::Greater,
        CmpOp::Gt => ord(a, b)? == Ordering::Greater,
        CmpOp::Ge => ord(a, b)? != Ordering::Less,
        CmpOp::In | CmpOp::NotIn => {
            let found = match b {
                Value::List(items) => items.iter().any(|x| eq(a, x)),
                Value::Str(s) => match a {
                    Value::Str(needle) => s.contains(needle.as_str()),
                    _ => return None,
                },
                _ => return None,
            };
            found == (op == CmpOp::In)
        }
    })
}

fn arith(a: &Value, op: ArithOp, b: &Value) -> Option<Value> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        return Some(Value::Int(match op {
            ArithOp::Add => x.checked_add(*y)?,
            ArithOp::Sub => x.checked_sub(*y)?,
            ArithOp::Mul => x.checked_mul(*y)?,
            ArithOp::FloorDiv => x.checked_div_euclid(*y)?,
            ArithOp::Mod => x.checked_rem_euclid(*y)?,
            ArithOp::Div => {
                if *y == 0 {
                    return None;
                }
                return Some(Value::Float(*x as f64 / *y as f64));
            }
        }));
    }
    if let (Value::Str(x), ArithOp::Add, Value::Str(y)) = (a, op, b) {
        return Some(Value::Str(format!("{x}{y}")));
    }
    let (x, y) = (as_f64(a)?, as_f64(b)?);
    Some(Value::Float(match op {
        ArithOp::Add => x + y,
        ArithOp::Sub => x - y,
        ArithOp::Mul => x * y,
        ArithOp::Div if y != 0.0 => x / y,
        ArithOp::FloorDiv if y != 0.0 => (x / y).floor(),
        ArithOp::Mod if y != 0.0 => x.rem_euclid(y),
        _ => return None,
    }))
}

fn call(f: Func, args: &[Value]) -> Option<Value> {
    Some(match (f, args) {
        (Func::Int, [Value::Int(i)]) => Value::Int(*i),
        (Func::Int, [Value::Float(x)]) => Value::Int(x.trunc() as i128),
        (Func::Int, [Value::Str(s)]) => Value::Int(parse_int(s, None)?),
        (Func::Int, [Value::Str(s), Value::Int(base)]) => {
            Value::Int(parse_int(s, u32::try_from(*base).ok())?)
        }
        (Func::Int, [Value::Bool(b)]) => Value::Int(i128::from(*b)),
        (Func::Float, [v]) => Value::Float(match v {
            Value::Str(s) => s.trim().parse().ok()?,
            other => as_f64(other)?,
        }),
        (Func::Str, [v]) => Value::Str(v.to_string()),
        (Func::Len, [Value::Str(s)]) => Value::Int(s.chars().count() as i128),
        (Func::Len, [Value::List(l)]) => Value::Int(l.len() as i128),
        (Func::ReMatch, [Value::Str(re), Value::Str(s)]) => {
            let re = Regex::new(&format!("^(?:{re})")).ok()?;
            Value::Bool(re.is_match(s))
        }
        _ => return None,
    })
}

/// Parses an integer literal as languages write them: `42`, `0x2A`, `0o52`, `0b101010`, `052`
/// (octal in Java/Go), `1_000`, `10L`.
pub(crate) fn parse_int(text: &str, base: Option<u32>) -> Option<i128> {
    let t: String = text.trim().chars().filter(|&c| c != '_').collect();
    let t = t.trim_end_matches(['l', 'L', 'u', 'U', 'n']);
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = if let Some(b) = base {
        i128::from_str_radix(t, b).ok()?
    } else if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        i128::from_str_radix(o, 8).ok()?
    } else if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        i128::from_str_radix(b, 2).ok()?
    } else if t.len() > 1 && t.starts_with('0') && t.chars().all(|c| c.is_ascii_digit()) {
        i128::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int(i128),
    Float(f64),
    Str(String),
    Name(String),
    Metavar(String),
    Op(&'static str),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Int(i) => write!(f, "{i}"),
            Tok::Float(x) => write!(f, "{x}"),
            Tok::Str(s) => write!(f, "{s:?}"),
            Tok::Name(n) | Tok::Metavar(n) => f.write_str(n),
            Tok::Op(o) => f.write_str(o),
        }
    }
}

const OPS: [&str; 20] = [
    "//", "<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".",
    "&&", "||",
];

fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '$' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Metavar(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let is_float = i < chars.len()
                && chars[i] == '.'
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if is_float {
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == 'e') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                out.push(Tok::Float(
                    text.parse().map_err(|_| format!("bad number '{text}'"))?,
                ));
            } else {
                let text: String = chars[start..i].iter().collect();
                let v = parse_int(&text, None).ok_or_else(|| format!("bad number '{text}'"))?;
                out.push(Tok::Int(v));
            }
        } else if c == '"' || c == '\'' {
            let quote = c;
            i += 1;
            let mut s = String::new();
            while i < chars.len() && chars[i] != quote {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err("unterminated string".into());
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let op = OPS
                .iter()
                .find(|op| rest.starts_with(**op))
                .ok_or_else(|| format!("unexpected character '{c}'"))?;
            out.push(Tok::Op(op));
            i += op.chars().count();
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn is_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Tok::Name(n)) if n == name)
    }

    fn expect_op(&mut self, op: &str) -> Result<(), String> {
        if self.is_op(op) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "expected '{op}', found {}",
                self.peek()
                    .map_or_else(|| "the end".to_owned(), |t| format!("'{t}'"))
            ))
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut l = self.and()?;
        while self.is_name("or") || self.is_op("||") {
            self.pos += 1;
            let r = self.and()?;
            l = Expr::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.not()?;
        while self.is_name("and") || self.is_op("&&") {
            self.pos += 1;
            let r = self.not()?;
            l = Expr::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.is_name("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.compare()
    }

    fn cmp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek()? {
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Le,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Ge,
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::Ne,
            Tok::Name(n) if n == "in" => CmpOp::In,
            Tok::Name(n) if n == "not" => {
                if matches!(self.tokens.get(self.pos + 1), Some(Tok::Name(m)) if m == "in") {
                    self.pos += 1;
                    CmpOp::NotIn
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let first = self.sum()?;
        let mut operands = vec![first];
        let mut ops = Vec::new();
        while let Some(op) = self.cmp_op() {
            ops.push(op);
            operands.push(self.sum()?);
        }
        if ops.is_empty() {
            return Ok(operands.pop().unwrap_or(Expr::None));
        }
        Ok(Expr::Compare(operands, ops))
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut l = self.product()?;
        loop {
            let op = if self.is_op("+") {
                ArithOp::Add
            } else if self.is_op("-") {
                ArithOp::Sub
            } else {
                return Ok(l);
            };
            self.pos += 1;
            let r = self.product()?;
            l = Expr::Arith(Box::new(l), op, Box::new(r));
        }
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut l = self.unary()?;
        loop {
            let op = if self.is_op("*") {
                ArithOp::Mul
            } else if self.is_op("//") {
                ArithOp::FloorDiv
            } else if self.is_op("/") {
                ArithOp::Div
            } else if self.is_op("%") {
                ArithOp::Mod
            } else {
                return Ok(l);
            };
            self.pos += 1;
            let r = self.unary()?;
            l = Expr::Arith(Box::new(l), op, Box::new(r));
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.is_op("-") {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.is_op("+") {
            self.pos += 1;
            return self.unary();
        }
        self.primary()
    }

    fn args(&mut self) -> Result<Vec<Expr>, String> {
        self.expect_op("(")?;
        let mut args = Vec::new();
        while !self.is_op(")") {
            args.push(self.or()?);
            if !self.is_op(")") {
                self.expect_op(",")?;
            }
        }
        self.expect_op(")")?;
        Ok(args)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.peek().cloned() else {
            return Err("unexpected end of the comparison".into());
        };
        self.pos += 1;
        match tok {
            Tok::Int(i) => Ok(Expr::Int(i)),
            Tok::Float(f) => Ok(Expr::Float(f)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Metavar(m) => Ok(Expr::Metavar(m)),
            Tok::Op("(") => {
                let e = self.or()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                while !self.is_op("]") {
                    items.push(self.or()?);
                    if !self.is_op("]") {
                        self.expect_op(",")?;
                    }
                }
                self.expect_op("]")?;
                Ok(Expr::List(items))
            }
            Tok::Name(n) => match n.as_str() {
                "True" | "true" => Ok(Expr::Bool(true)),
                "False" | "false" => Ok(Expr::Bool(false)),
                "None" => Ok(Expr::None),
                "int" | "float" | "str" | "len" => {
                    let f = match n.as_str() {
                        "int" => Func::Int,
                        "float" => Func::Float,
                        "str" => Func::Str,
                        _ => Func::Len,
                    };
                    Ok(Expr::Call(f, self.args()?))
                }
                "re" if self.is_op(".") => {
                    self.pos += 1;
                    if self.is_name("match") {
                        self.pos += 1;
                        Ok(Expr::Call(Func::ReMatch, self.args()?))
                    } else {
                        Err("only re.match() is supported".into())
                    }
                }
                other => Err(format!("unsupported name '{other}'")),
            },
            Tok::Op(o) => Err(format!("unexpected '{o}'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, vars: &[(&str, Value)]) -> Option<Value> {
        let e = Expr::parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
        e.eval(&|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn evaluates_the_forms_rules_use() {
        let x = [("$X", Value::Int(1024))];
        assert_eq!(eval("$X < 2048", &x), Some(Value::Bool(true)));
        assert_eq!(
            eval("$X >= 2048 or $X == 1024", &x),
            Some(Value::Bool(true))
        );
        assert_eq!(eval("1000 < $X <= 1024", &x), Some(Value::Bool(true)));
        assert_eq!(eval("not ($X > 1)", &x), Some(Value::Bool(false)));
        assert_eq!(eval("$X * 2 + 1", &x), Some(Value::Int(2049)));
        assert_eq!(eval("$X in [512, 1024]", &x), Some(Value::Bool(true)));
        let s = [("$S", Value::Str("md5".into()))];
        assert_eq!(eval("$S == \"md5\"", &s), Some(Value::Bool(true)));
        assert_eq!(eval("$S not in ['sha256']", &s), Some(Value::Bool(true)));
        assert_eq!(eval("re.match('md.', $S)", &s), Some(Value::Bool(true)));
        assert_eq!(eval("len($S) == 3", &s), Some(Value::Bool(true)));
        assert_eq!(
            eval("int($S) > 1", &[("$S", Value::Str("0x10".into()))]),
            Some(Value::Bool(true))
        );
        assert_eq!(eval("$Y > 1", &x), None, "unbound metavariables fail");
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        assert!(Expr::parse("today() > 1").is_err());
        assert!(Expr::parse("$X <").is_err());
        assert!(Expr::parse("$X ~ 1").is_err());
        assert!(Expr::parse("'abc").is_err());
    }

    #[test]
    fn integer_literals_in_every_spelling() {
        assert_eq!(parse_int("0x1F", None), Some(31));
        assert_eq!(parse_int("0o17", None), Some(15));
        assert_eq!(parse_int("017", None), Some(15));
        assert_eq!(parse_int("1_000L", None), Some(1000));
        assert_eq!(parse_int("777", Some(8)), Some(511));
        assert_eq!(parse_int("abc", None), None);
    }
}
