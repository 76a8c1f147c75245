record Order { cash_paid: Money }
def f(o: Order) -> Money = o.cash_payed ### "record `Order` has no field `cash_payed`"
---
record Order { cash_paid: Money }
def f(o: Ordr) -> Money = $1 ### "unknown type `Ordr`"
---
def f(x: Int) -> Int = y + 1 ### "unknown name `y`"
---
def f(x: Int) -> Int = x
def g(x: Int) -> Int = f(x, x) ### "`f` takes 1 argument, 2 given"
def h(x: Int) -> Int = fx(x) ### "unknown function `fx`"
---
def f(x: Int) -> Int = g(x)
def g(x: Int) -> Int = f(x) ### "recursion is not allowed: f -> g -> f"
---
def f(x: Int) -> Int = x
def f(x: Int) -> Int = x ### "`f` is defined twice"
---
enum Carrier { dhl, ups }
def days(c: Carrier) -> Int = match c { Carrier.dhl => 1 } ### "does not cover `Carrier.ups`"
def more(c: Carrier) -> Int = match c { Carrier.dhl => 1, Carrier.ups => 2, Carrier.fedx => 3 } ### "has no variant `fedx`"
---
record A { b: B }
record B { a: A } ### "contains itself"
---
record Order { x: Int }
test "t" {
  given o = Order { x: 1, y: 2 } ### "has no field `y`"
  given p = Order { } ### "missing `x`"
}
---
rule r(x: Int) opposes nothing when x > 1 ### "`r` opposes `nothing`, which is not a rule"
---
record Order { x: Int }
rule a(o: Order) when o.x > 1
rule b(x: Int) overrides a when x > 2 ### "their parameters differ"
---
property p: forall o: Int. o > 0 or o <= 0
def f(x: Int) -> Bool = forall y: Int. y > x ### "only properties may do that"
