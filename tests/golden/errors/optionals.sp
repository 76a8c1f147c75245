record Order { shipped_at: Date?  paid_at: Date }
rule late(o: Order, today: Date) when today > o.shipped_at + 10 days ### "may be absent"
---
record Order { shipped_at: Date?  paid_at: Date }
rule late(o: Order, today: Date) when o.shipped_at is some(s) and today > s + 10 days
rule later(o: Order, today: Date) when o.shipped_at is some(s) or today > s ### "unknown name `s`"
def d(o: Order) -> Date = o.shipped_at ?? o.paid_at
def e(o: Order) -> Date = o.paid_at ?? o.paid_at ### "`\?\?` needs an optional value"
---
record Order { shipped_at: Date? }
def d(o: Order) -> Date = o.shipped_at ### "expected `Date`, found `Date\?`"
---
record Item { price: Money }
record Order { first: Item? }
def p(o: Order) -> Money = o.first.price ### "cannot read `.price`"
---
record Order { paid_at: Date }
rule r(o: Order) when o.paid_at is none ### "`is none` needs an optional value"
