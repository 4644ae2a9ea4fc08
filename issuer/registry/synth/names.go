package synth

// Name lists, upper case as RENIEC prints them, with the accents and Ñ that
// newer records keep. Frequent Peruvian names and surnames (Spanish, Quechua
// and Aymara), and Venezuelan ones for the families who hold a CE.

var maleNames = []string{
	"JOSÉ", "LUIS", "JUAN", "CARLOS", "JORGE", "MIGUEL", "CÉSAR", "VÍCTOR", "JESÚS", "ÁNGEL",
	"MARTÍN", "RAÚL", "JULIO", "ÓSCAR", "WILBER", "EDWIN", "HÉCTOR", "ROGER", "ALEXANDER", "DIEGO",
	"SEBASTIÁN", "MATEO", "SANTIAGO", "THIAGO", "NICOLÁS", "JOAQUÍN", "RODRIGO", "FERNANDO", "ANDRÉS", "RUBÉN",
	"TEÓFILO", "FÉLIX", "ELÍAS", "NAHUEL", "YUPANQUI", "PERCY", "HUMBERTO", "FRANCISCO", "GUSTAVO", "RENATO",
}

var femaleNames = []string{
	"MARÍA", "ROSA", "ANA", "CARMEN", "JUANA", "LUCÍA", "SOFÍA", "VALERIA", "CAMILA", "XIMENA",
	"MILAGROS", "GLADYS", "YOLANDA", "NATIVIDAD", "FLOR", "SOLEDAD", "BEATRIZ", "INÉS", "MÓNICA", "VERÓNICA",
	"MARIBEL", "ELIZABETH", "LUZ", "ALEJANDRA", "FERNANDA", "DANIELA", "ISABEL", "ÁNGELA", "NOELIA", "MARISOL",
	"BEGOÑA", "ÑUSTA", "SAYURI", "KORI", "DAYANA", "ALLISON", "ANTONELLA", "ROCÍO", "PILAR", "RUTH",
}

var surnames = []string{
	"QUISPE", "FLORES", "SÁNCHEZ", "RODRÍGUEZ", "GARCÍA", "ROJAS", "MAMANI", "HUAMÁN", "GONZÁLEZ", "CHÁVEZ",
	"RAMÍREZ", "TORRES", "VÁSQUEZ", "MENDOZA", "DÍAZ", "RAMOS", "CASTILLO", "ESPINOZA", "LÓPEZ", "GUTIÉRREZ",
	"PÉREZ", "CRUZ", "CONDORI", "HUAMANÍ", "CCAHUANA", "TICONA", "APAZA", "YUPANQUI", "CHOQUEHUANCA", "PUMA",
	"PEÑA", "NÚÑEZ", "MUÑOZ", "ÑAUPARI", "ÑAHUI", "IBÁÑEZ", "CASTAÑEDA", "ZÚÑIGA", "ORDÓÑEZ", "AVENDAÑO",
	"VILLANUEVA", "SALAZAR", "MORALES", "HUERTA", "PAREDES", "VALDIVIA", "ALVARADO", "CAHUANA", "LLANOS", "CÁRDENAS",
	"DE LA CRUZ", "DEL ÁGUILA", "SAAVEDRA", "OBLITAS", "CANCHARI",
}

var foreignMaleNames = []string{
	"JOSÉ GREGORIO", "LUIS ALFREDO", "JEAN CARLOS", "ÉDGAR", "YORMAN", "DANIEL", "ANDRÉS EDUARDO", "JHONNY",
}

var foreignFemaleNames = []string{
	"YORGELIS", "MARÍA ALEJANDRA", "DAYANA", "ORIANA", "YULIMAR", "MARÍA JOSÉ", "GÉNESIS", "ANDREÍNA",
}

var foreignSurnames = []string{
	"GONZÁLEZ", "PÉREZ", "HERNÁNDEZ", "RODRÍGUEZ", "MARTÍNEZ", "GARCÍA", "LÓPEZ", "SUÁREZ", "MÁRQUEZ", "BRICEÑO",
	"MONTAÑO", "GUZMÁN",
}
