module verifymobile

go 1.19
