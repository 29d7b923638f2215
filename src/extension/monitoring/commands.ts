/** MLOps: Show Monitoring (in the Models view and the palette): registered in extension.ts with the serving commands' model pick. */
