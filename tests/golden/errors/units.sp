# Units. Each chunk is one module; a line ending in three hashes and a quoted
# regex must report an error matching it. Missing and unexpected errors both fail.
record Order {
  cash_paid: Money
  placed_at: Date
  weight: Mass
  longest: Length
}
def bad_sum(o: Order) -> Money = o.cash_paid + 15 days ### "cannot apply `\+` to `Money` and `Days`"
---
record Order { cash_paid: Money  weight: Mass  longest: Length }
rule heavy(o: Order) when o.weight > 120 cm ### "cannot compare `Mass` with `Length`"
---
record Order { cash_paid: Money }
def share(o: Order) -> Money = o.cash_paid * 10% ### "expected `Money`, found `Exact\[Money\]`"
def rounded(o: Order) -> Money = round_half_up(o.cash_paid * 10%)
---
record Order { cash_paid: Money }
rule free(o: Order) when o.cash_paid >= 0 ### "cannot compare `Money` with `Int`"
---
record Order { placed_at: Date  paid_at: DateTime }
def later(o: Order) -> Date = o.placed_at + 48 hours ### "cannot apply `\+` to `Date` and `Duration`"
def span(o: Order) -> Days = o.placed_at - o.placed_at
def moved(o: Order) -> DateTime = o.paid_at + 2 days
---
const half: Days = 0.5 days ### "not a whole number"
---
def f(x: Money) -> Money = x * x ### "cannot apply `\*` to `Money` and `Money`"
---
def f(x: Percent) -> Bool = x > 5 ### "cannot compare `Percent` with `Int`"
