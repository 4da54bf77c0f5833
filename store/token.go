package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// TokenPrefix starts every token, so that secret scanners and people can
// tell a pedigree store token when they see one.
const TokenPrefix = "pdg_"

// tokenBytes is the number of random bytes in a token.
const tokenBytes = 32

// tokenLen is the length of a token: the prefix and 32 bytes in unpadded
// base64url.
var tokenLen = len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(tokenBytes)

// NewToken returns a new random write token (TokenPrefix and 32 random
// bytes, base64url) and the SHA-256 hash to store in its place. It fails
// only if the system's random source does.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("token: %w", err)
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of a token, the form a Backend stores and
// looks tokens up by.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CheckTokenSyntax reports whether token has the form NewToken gives,
// without looking it up. Errors wrap ErrUnauthorized.
func CheckTokenSyntax(token string) error {
	if len(token) != tokenLen || !strings.HasPrefix(token, TokenPrefix) {
		return fmt.Errorf("token: want %s followed by %d base64url characters: %w", TokenPrefix, tokenLen-len(TokenPrefix), ErrUnauthorized)
	}
	if _, err := base64.RawURLEncoding.DecodeString(token[len(TokenPrefix):]); err != nil {
		return fmt.Errorf("token: not base64url: %w", ErrUnauthorized)
	}
	return nil
}

// ValidateTokenName checks a token's name: 1 to 64 letters, digits, '.',
// '_' or '-'. Errors wrap ErrInvalidToken.
func ValidateTokenName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("token name %q: want 1 to 64 characters: %w", name, ErrInvalidToken)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("token name %q: want letters, digits, '.', '_' and '-': %w", name, ErrInvalidToken)
		}
	}
	return nil
}
