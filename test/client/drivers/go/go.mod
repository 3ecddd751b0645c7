module verifymobile-driver

go 1.19

require verifymobile v0.0.0

replace verifymobile => ../../../../client/go
