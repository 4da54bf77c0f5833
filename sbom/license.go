package sbom

import "strings"

// maxLicenseExpression bounds the license expressions this package checks;
// longer ones are treated as free text.
const maxLicenseExpression = 4096

// licenseInfo is what is known of a package's license: an SPDX license
// expression (PEP 639 License-Expression, a pyproject license string) or,
// failing that, free text (a legacy License field).
type licenseInfo struct {
	expression string
	text       string
}

// newLicense sorts a declared license into an expression when it is a
// syntactically valid SPDX license expression, and into free text otherwise.
func newLicense(declared string) licenseInfo {
	declared = strings.TrimSpace(declared)
	if declared == "" {
		return licenseInfo{}
	}
	if validLicenseExpression(declared) {
		return licenseInfo{expression: declared}
	}
	return licenseInfo{text: declared}
}

// validLicenseExpression reports whether s follows the SPDX license
// expression grammar (SPDX 2.3 annex D): license ids (optionally with "+"),
// LicenseRef-/DocumentRef- references, WITH exceptions, AND, OR and
// parentheses. It does not check ids against the SPDX license list.
func validLicenseExpression(s string) bool {
	if len(s) == 0 || len(s) > maxLicenseExpression {
		return false
	}
	p := licenseParser{toks: tokenizeLicense(s)}
	if p.toks == nil {
		return false
	}
	return p.expr(0) && p.pos == len(p.toks)
}

func tokenizeLicense(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')':
			toks = append(toks, s[i:i+1])
			i++
		case isIDChar(c) || c == '+' || c == ':':
			j := i
			for j < len(s) && (isIDChar(s[j]) || s[j] == '+' || s[j] == ':') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			return nil
		}
	}
	return toks
}

func isIDChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.'
}

func isIDString(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIDChar(s[i]) {
			return false
		}
	}
	return true
}

const maxLicenseDepth = 32

type licenseParser struct {
	toks []string
	pos  int
}

func (p *licenseParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

// expr = and-expr *("OR" and-expr)
func (p *licenseParser) expr(depth int) bool {
	if depth > maxLicenseDepth || !p.andExpr(depth) {
		return false
	}
	for p.peek() == "OR" {
		p.pos++
		if !p.andExpr(depth) {
			return false
		}
	}
	return true
}

// and-expr = primary *("AND" primary)
func (p *licenseParser) andExpr(depth int) bool {
	if !p.primary(depth) {
		return false
	}
	for p.peek() == "AND" {
		p.pos++
		if !p.primary(depth) {
			return false
		}
	}
	return true
}

// primary = "(" expr ")" / simple-expression ["WITH" exception-id]
func (p *licenseParser) primary(depth int) bool {
	tok := p.peek()
	if tok == "(" {
		p.pos++
		if !p.expr(depth+1) || p.peek() != ")" {
			return false
		}
		p.pos++
		return true
	}
	if !simpleLicense(tok) {
		return false
	}
	p.pos++
	if p.peek() == "WITH" {
		p.pos++
		if !isIDString(p.peek()) || isOperator(p.peek()) {
			return false
		}
		p.pos++
	}
	return true
}

func isOperator(tok string) bool { return tok == "AND" || tok == "OR" || tok == "WITH" }

// simpleLicense = license-id ["+"] / ["DocumentRef-" idstring ":"] "LicenseRef-" idstring
func simpleLicense(tok string) bool {
	if tok == "" || isOperator(tok) {
		return false
	}
	if doc, ref, ok := strings.Cut(tok, ":"); ok {
		return strings.HasPrefix(doc, "DocumentRef-") && isIDString(doc[len("DocumentRef-"):]) &&
			strings.HasPrefix(ref, "LicenseRef-") && isIDString(ref[len("LicenseRef-"):])
	}
	if strings.HasPrefix(tok, "LicenseRef-") {
		return isIDString(tok[len("LicenseRef-"):])
	}
	return isIDString(strings.TrimSuffix(tok, "+"))
}
