package testfixtures

import "testing"

// As is v as a T, and fails the test when v is not one: the checked type assertion of tests.
func As[T any](t testing.TB, v any) T {
	t.Helper()
	x, ok := v.(T)
	if !ok {
		t.Fatalf("got %T (%v), want %T", v, v, x)
	}
	return x
}
